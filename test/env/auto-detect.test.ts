/**
 * `env install --requirements auto-detect` on a folder of real-world imports: scripts, a package
 * of local modules, a notebook with magics, stdlib, relative and optional imports. Detection is
 * checked without installing; then a small set is installed for real and pinned.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envInstall } from '../../tools/env/install-requirements.js';
import { packagesFor, gpuVariant } from '../../tools/env/import-map.js';
import type { ToolContext } from '../../tools/core/types.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { call, callError, INSTALL_TIMEOUT, projectPython } from '../project/fixtures.js';

interface Result {
  detected: Array<{ module: string; package: string; version?: string; files: string[]; optional: boolean }>;
  skipped_optional?: string[];
  files_scanned: number;
  requirements_file?: string;
  installed: number;
}

const notebook = (cells: string[][]) =>
  JSON.stringify({
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['import this_is_prose\n'] },
      ...cells.map((source) => ({
        cell_type: 'code',
        metadata: {},
        outputs: [],
        execution_count: null,
        source,
      })),
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });

const FILES: Record<string, string> = {
  'train.py': [
    'import os, sys, json',
    'from pathlib import Path',
    'import numpy as np',
    'import pandas as pd',
    'from sklearn.ensemble import RandomForestClassifier',
    'from sklearn.model_selection import train_test_split',
    'import yaml',
    'from features import build_features',
    'from mylib.io import load',
    'from . import sibling',
    'try:',
    '    import ujson as json_fast',
    'except ImportError:',
    '    json_fast = None',
    '',
  ].join('\n'),
  'features.py': 'import cv2\nfrom PIL import Image\nimport collections\n',
  'mylib/__init__.py': '',
  'mylib/io.py':
    'from bs4 import BeautifulSoup\nfrom dateutil import parser as dateparser\nfrom google.cloud import storage\n',
  'scripts/broken.py': 'import torch\nthis is not python(\n',
  'notebooks/explore.ipynb': notebook([
    ['%matplotlib inline\n', 'import matplotlib.pyplot as plt\n', 'import seaborn as sns\n'],
    ['!pip install something\n', 'from skimage import io\n'],
    ['%%time\n', 'import statsmodels.api as sm\n'],
  ]),
  '.venv/lib/python3.11/site-packages/hidden.py': 'import should_not_be_seen\n',
};

describe('env install --requirements auto-detect', () => {
  let ws: TempWorkspace;
  let ctx: ToolContext;
  beforeAll(async () => {
    ws = makeWorkspace(FILES);
    ctx = await contextFor(ws.root);
  });
  afterAll(() => ws.cleanup());

  it('maps third-party imports to their PyPI packages and drops stdlib and local modules', async () => {
    const result = await call<Result>(envInstall, { dry_run: true }, ctx);
    const byModule = Object.fromEntries(result.detected.map((d) => [d.module, d.package]));
    expect(byModule).toEqual({
      PIL: 'pillow',
      bs4: 'beautifulsoup4',
      cv2: 'opencv-python',
      dateutil: 'python-dateutil',
      google: 'google-cloud-storage',
      matplotlib: 'matplotlib',
      numpy: 'numpy',
      pandas: 'pandas',
      seaborn: 'seaborn',
      skimage: 'scikit-image',
      sklearn: 'scikit-learn',
      statsmodels: 'statsmodels',
      torch: 'torch',
      yaml: 'pyyaml',
    });
    expect(result.skipped_optional).toEqual(['ujson']);
    expect(result.files_scanned).toBe(6);
    expect(result.detected.find((d) => d.module === 'cv2')?.files).toEqual(['features.py']);
    expect(result.detected.find((d) => d.module === 'skimage')?.files).toEqual(['notebooks/explore.ipynb']);
  });

  it('knows the dotted and GPU cases', () => {
    expect(packagesFor('google', ['google.cloud', 'google.cloud.bigquery'])).toEqual([
      'google-cloud-bigquery',
    ]);
    expect(packagesFor('google', ['google.protobuf'])).toEqual(['protobuf']);
    expect(packagesFor('azure', ['azure.storage.blob'])).toEqual(['azure-storage-blob']);
    expect(packagesFor('xgboost', ['xgboost'])).toEqual(['xgboost']);
    expect(gpuVariant('onnxruntime==1.20.0')).toBe('onnxruntime-gpu==1.20.0');
    expect(gpuVariant('scikit-learn==1.9.1')).toBe('scikit-learn==1.9.1');
  });

  it(
    'installs what it found and writes pinned requirements',
    async () => {
      const small = makeWorkspace({
        'app.py': 'import yaml\nfrom dateutil import tz\nimport json\nfrom helpers import util\n',
        'helpers/util.py': 'X = 1\n',
      });
      try {
        const smallCtx = await contextFor(small.root);
        const result = await call<Result>(envInstall, {}, smallCtx);
        expect(result.requirements_file).toBe('requirements.txt');
        const pins = readFileSync(join(small.root, 'requirements.txt'), 'utf8')
          .split('\n')
          .filter((line) => line && !line.startsWith('#'));
        expect(pins).toHaveLength(2);
        expect(pins[0]).toMatch(/^python-dateutil==\d+\.\d+/);
        expect(pins[1]).toMatch(/^pyyaml==\d+\.\d+/);
        const run = projectPython(small.root, ['-c', 'import yaml, dateutil; print(yaml.__version__)']);
        expect(run.code, run.output).toBe(0);
        expect(pins[1]).toBe(`pyyaml==${run.output.trim()}`);
      } finally {
        small.cleanup();
      }
    },
    INSTALL_TIMEOUT,
  );

  it('says when a requirements file is missing', async () => {
    const error = await callError(envInstall, { requirements: 'reqs/none.txt' }, ctx);
    expect(error.code).toBe('not_found');
  });
});
