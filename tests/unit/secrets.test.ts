import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSecret, secretRefProblem } from '../../lib/secrets';

describe('secret references', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('env:NAME reads the variable, and says which to export when unset', () => {
    expect(resolveSecret('env:ACU_PW', { ACU_PW: 's3cret' })).toBe('s3cret');
    expect(() => resolveSecret('env:ACU_PW', {})).toThrow(/export ACU_PW in the worker's environment/);
  });

  it('file:/path reads a mounted secret (one trailing newline dropped), fresh on every call', () => {
    const file = path.join(dir, 'pw');
    fs.writeFileSync(file, 'first\n');
    expect(resolveSecret(`file:${file}`)).toBe('first');
    fs.writeFileSync(file, 'rotated\r\n');
    expect(resolveSecret(`file:${file}`)).toBe('rotated');
    fs.writeFileSync(file, '');
    expect(() => resolveSecret(`file:${file}`)).toThrow(/is empty/);
    expect(() => resolveSecret(`file:${path.join(dir, 'missing')}`)).toThrow(/cannot be read \(ENOENT\)/);
  });

  it('refuses anything else without echoing it (it may be the password itself)', () => {
    for (const ref of ['hunter2', 'file:relative/path', 'vault:x', 'env:1BAD']) {
      expect(secretRefProblem(ref)).toMatch(/use env:VARIABLE_NAME or file:\/absolute\/path/);
      expect(secretRefProblem(ref)).not.toContain(ref);
      expect(() => resolveSecret(ref)).toThrow(/not shown/);
    }
    expect(secretRefProblem('env:X')).toBeUndefined();
    expect(secretRefProblem('file:/run/secrets/acumatica')).toBeUndefined();
  });
});
