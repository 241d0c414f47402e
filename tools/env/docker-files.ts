/** The text of the Dockerfile, compose file and .dockerignore that reproduce a project's environment. */
import { stringify } from 'yaml';

export interface DockerSpec {
  python: string;
  gpu: boolean;
  cuda: string;
  lock: string;
  command: string[];
  image: string;
}

const UV_IMAGE = 'ghcr.io/astral-sh/uv:0.13.9';

export function dockerBase(spec: DockerSpec): string {
  return spec.gpu ? `nvidia/cuda:${spec.cuda}-cudnn-runtime-ubuntu24.04` : `python:${spec.python}-slim`;
}

export function dockerfile(spec: DockerSpec): string {
  const install = spec.gpu
    ? [
        '# CUDA runtime base; uv brings the exact Python the project uses.',
        `COPY --from=${UV_IMAGE} /uv /uvx /bin/`,
        'ENV UV_PYTHON_INSTALL_DIR=/opt/python VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH',
        `RUN uv venv /opt/venv --python ${spec.python}`,
        `COPY ${spec.lock} ./`,
        `RUN uv pip install --no-cache -r ${spec.lock}`,
      ]
    : [`COPY ${spec.lock} ./`, `RUN pip install --no-cache-dir -r ${spec.lock}`];
  return [
    '# Reproduces the project environment; written by `datastack env docker`.',
    `FROM ${dockerBase(spec)}`,
    '',
    'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1',
    'WORKDIR /app',
    '',
    ...install,
    '',
    'COPY . .',
    'ENV PYTHONPATH=/app/src',
    `CMD ${JSON.stringify(spec.command)}`,
    '',
  ].join('\n');
}

export function composeFile(spec: DockerSpec): string {
  const service: Record<string, unknown> = {
    build: { context: '.' },
    image: `${spec.image}:latest`,
    volumes: ['./data:/app/data', './configs:/app/configs', './models:/app/models'],
    environment: { MLFLOW_TRACKING_URI: '${MLFLOW_TRACKING_URI:-}' },
  };
  if (spec.gpu) {
    service.deploy = {
      resources: { reservations: { devices: [{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }] } },
    };
  }
  return `# docker compose run --rm train   (written by \`datastack env docker\`)\n${stringify({ services: { train: service } })}`;
}

export const DOCKERIGNORE = [
  '.git',
  '.venv',
  '.venv.*',
  '.datastack',
  'data',
  'models',
  'mlruns',
  '**/__pycache__',
  '.pytest_cache',
  '',
].join('\n');
