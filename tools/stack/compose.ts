/**
 * A docker-compose file of the full stack for teams that have Docker: MinIO in place of moto,
 * the same Nessie (same settings, same ports), plus Dremio, Spark, Airflow and MLflow. Host
 * ports and credentials match the `stack` profile, so the same profile drives either setup.
 */
import { DEV_S3 } from './service.js';
import { NESSIE_VERSION, nessieProperties } from './services/nessie.js';

/** Host ports of the services that only compose runs here (until their issues add them). */
export const COMPOSE_PORT_DEFAULTS: Readonly<Record<string, number>> = {
  minio_console: 9011,
  dremio: 9047,
  dremio_flight: 32010,
  spark_master: 7077,
  // Airflow takes 8080; the Spark master UI moves aside.
  spark_ui: 8081,
  airflow: 8080,
  mlflow: 5000,
};

export const COMPOSE_SERVICES = [
  'minio',
  'minio-init',
  'nessie',
  'dremio',
  'spark-master',
  'spark-worker',
  'airflow',
  'mlflow',
] as const;

const SPARK_IMAGE = 'apache/spark:4.0.0';

export async function composeDocument(stackPorts: Readonly<Record<string, number>>): Promise<string> {
  const { stringify } = await import('yaml');
  const p = { ...COMPOSE_PORT_DEFAULTS, ...stackPorts } as Record<string, number>;
  const inside = { nessie: 19120, nessie_management: 9000, s3: 9000 };
  const nessieEnv = nessieProperties(inside, {
    host: '0.0.0.0',
    s3Endpoint: 'http://minio:9000/',
    // Clients on the host reach MinIO at the port the profile names.
    externalS3Endpoint: `http://127.0.0.1:${p.s3}/`,
  });
  const s3Env = {
    AWS_ACCESS_KEY_ID: DEV_S3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEV_S3.secretAccessKey,
    AWS_REGION: DEV_S3.region,
  };
  const compose = {
    name: 'datastack',
    services: {
      minio: {
        image: 'quay.io/minio/minio:latest',
        command: ['server', '/data', '--console-address', ':9001'],
        environment: { MINIO_ROOT_USER: DEV_S3.accessKeyId, MINIO_ROOT_PASSWORD: DEV_S3.secretAccessKey },
        ports: [`${p.s3}:9000`, `${p.minio_console}:9001`],
        volumes: ['minio-data:/data'],
      },
      'minio-init': {
        image: 'quay.io/minio/mc:latest',
        depends_on: ['minio'],
        entrypoint: [
          '/bin/sh',
          '-c',
          `until mc alias set local http://minio:9000 ${DEV_S3.accessKeyId} ${DEV_S3.secretAccessKey}; do sleep 1; done; mc mb -p local/${DEV_S3.bucket}`,
        ],
      },
      nessie: {
        image: `ghcr.io/projectnessie/nessie:${NESSIE_VERSION}`,
        depends_on: { 'minio-init': { condition: 'service_completed_successfully' } },
        environment: nessieEnv,
        ports: [`${p.nessie}:19120`, `${p.nessie_management}:9000`],
      },
      dremio: {
        image: 'dremio/dremio-oss:latest',
        ports: [`${p.dremio}:9047`, `${p.dremio_flight}:32010`],
        volumes: ['dremio-data:/opt/dremio/data'],
      },
      'spark-master': {
        image: SPARK_IMAGE,
        command: ['/opt/spark/bin/spark-class', 'org.apache.spark.deploy.master.Master'],
        environment: { SPARK_MASTER_OPTS: '-Dspark.master.rest.enabled=true', ...s3Env },
        ports: [`${p.spark_master}:7077`, `${p.spark_ui}:8080`],
      },
      'spark-worker': {
        image: SPARK_IMAGE,
        command: [
          '/opt/spark/bin/spark-class',
          'org.apache.spark.deploy.worker.Worker',
          'spark://spark-master:7077',
        ],
        depends_on: ['spark-master'],
        environment: s3Env,
      },
      airflow: {
        image: 'apache/airflow:3.0.2',
        command: 'standalone',
        environment: { AIRFLOW__CORE__LOAD_EXAMPLES: 'false' },
        ports: [`${p.airflow}:8080`],
        volumes: ['./dags:/opt/airflow/dags', 'airflow-data:/opt/airflow'],
      },
      mlflow: {
        image: 'ghcr.io/mlflow/mlflow:latest',
        command: [
          'mlflow',
          'server',
          '--host',
          '0.0.0.0',
          '--port',
          '5000',
          '--backend-store-uri',
          'sqlite:////mlflow/mlflow.db',
          '--artifacts-destination',
          '/mlflow/artifacts',
        ],
        ports: [`${p.mlflow}:5000`],
        volumes: ['mlflow-data:/mlflow'],
      },
    },
    volumes: { 'minio-data': {}, 'dremio-data': {}, 'airflow-data': {}, 'mlflow-data': {} },
  };
  const header = [
    '# Written by `datastack stack compose` to match the "stack" profile of datastack.yaml.',
    '# Run with `docker compose up -d`. Credentials are local development values, not secrets.',
    '# Nessie keeps its catalog in memory here, as `datastack stack up` does.',
    '',
  ].join('\n');
  return header + stringify(compose, { lineWidth: 0 });
}
