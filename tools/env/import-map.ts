/**
 * Import names that differ from the PyPI distribution that provides them. Anything not listed is
 * assumed to be published under its import name (PyPI treats `_`, `-` and `.` alike).
 */
const IMPORT_TO_PACKAGE: Readonly<Record<string, string>> = {
  sklearn: 'scikit-learn',
  skimage: 'scikit-image',
  cv2: 'opencv-python',
  PIL: 'pillow',
  yaml: 'pyyaml',
  bs4: 'beautifulsoup4',
  dateutil: 'python-dateutil',
  dotenv: 'python-dotenv',
  jwt: 'pyjwt',
  jose: 'python-jose',
  Crypto: 'pycryptodome',
  OpenSSL: 'pyopenssl',
  attr: 'attrs',
  magic: 'python-magic',
  serial: 'pyserial',
  usb: 'pyusb',
  docx: 'python-docx',
  pptx: 'python-pptx',
  fitz: 'pymupdf',
  slugify: 'python-slugify',
  multipart: 'python-multipart',
  telegram: 'python-telegram-bot',
  Levenshtein: 'levenshtein',
  MySQLdb: 'mysqlclient',
  psycopg2: 'psycopg2-binary',
  pkg_resources: 'setuptools',
  mpl_toolkits: 'matplotlib',
  umap: 'umap-learn',
  imblearn: 'imbalanced-learn',
  Bio: 'biopython',
  zmq: 'pyzmq',
  wx: 'wxpython',
  gi: 'pygobject',
  git: 'gitpython',
  github: 'pygithub',
  dns: 'dnspython',
  kafka: 'kafka-python',
  faiss: 'faiss-cpu',
  IPython: 'ipython',
  ruamel: 'ruamel.yaml',
  sentencepiece: 'sentencepiece',
  tensorflow_hub: 'tensorflow-hub',
  win32api: 'pywin32',
  win32con: 'pywin32',
  pydantic_settings: 'pydantic-settings',
};

/** Dotted imports whose package depends on more than the first name (`google.cloud.storage`). */
const DOTTED_TO_PACKAGE: ReadonlyArray<[RegExp, (match: RegExpMatchArray) => string]> = [
  [/^google\.cloud\.(\w+)/, (m) => `google-cloud-${(m[1] ?? '').replace(/_/g, '-')}`],
  [/^google\.protobuf\b/, () => 'protobuf'],
  [/^azure\.(\w+)\.(\w+)/, (m) => `azure-${m[1] ?? ''}-${m[2] ?? ''}`],
  [/^google\.(\w+)/, (m) => `google-${(m[1] ?? '').replace(/_/g, '-')}`],
];

/** Modules that only ever come with a tool rather than from `pip install` in a project. */
const NOT_INSTALLABLE = new Set(['__main__', 'conftest', 'setup', 'pytest_plugins']);

/** The PyPI packages providing a top-level module, given the dotted names it was imported as. */
export function packagesFor(module: string, dotted: readonly string[]): string[] {
  if (NOT_INSTALLABLE.has(module)) return [];
  const fromDotted = new Set<string>();
  // The most specific names only: `google.cloud.storage`, not also `google.cloud`.
  const specific = dotted.filter((name) => !dotted.some((other) => other.startsWith(`${name}.`)));
  for (const name of specific) {
    for (const [pattern, pick] of DOTTED_TO_PACKAGE) {
      const match = name.match(pattern);
      if (match) {
        fromDotted.add(pick(match));
        break;
      }
    }
  }
  if (fromDotted.size > 0) return [...fromDotted].sort();
  return [IMPORT_TO_PACKAGE[module] ?? module];
}

/** Packages with a separate GPU build on PyPI; torch's default Linux wheels already carry CUDA. */
const GPU_VARIANTS: Readonly<Record<string, string>> = {
  onnxruntime: 'onnxruntime-gpu',
  'faiss-cpu': 'faiss-gpu-cu12',
  tensorflow: 'tensorflow[and-cuda]',
  jax: 'jax[cuda12]',
};

/** A requirement spec with its package swapped for the GPU build when there is one. */
export function gpuVariant(spec: string): string {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(.*)$/.exec(spec.trim());
  if (!match) return spec;
  const name = (match[1] ?? '').toLowerCase().replace(/_/g, '-');
  const variant = GPU_VARIANTS[name];
  return variant ? `${variant}${match[2] ?? ''}` : spec;
}

/** `Scikit_Learn` and `scikit-learn` are one package (PEP 503). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
