/**
 * The deployment files cannot run here (no Docker engine, no systemd): they are parsed and checked against the
 * code instead — services and commands exist, every variable they set is one the connector reads — and the
 * repository is checked to need nothing outside itself.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../lib/config';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const entrypointCommands = [...read('deploy/entrypoint.sh').matchAll(/^\s+([a-z]+)\) exec /gm)].map((m) => m[1]);

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    include: string[];
    services: Record<string, { command?: string[]; environment?: Record<string, string>; depends_on?: object }>;
  };
  const temporal = parse(read('docker-compose.temporal.yml')) as { services: Record<string, unknown> };

  it('runs the api and a worker from the image, next to Temporal (included) and its own PostgreSQL', () => {
    expect(compose.include).toEqual(['docker-compose.temporal.yml']);
    expect(compose.services.api.command).toEqual(['api']);
    expect(compose.services.worker.command).toEqual(['worker']);
    for (const name of ['api', 'worker']) {
      for (const dep of Object.keys(compose.services[name].depends_on ?? {})) {
        expect([...Object.keys(compose.services), ...Object.keys(temporal.services)]).toContain(dep);
      }
    }
    expect(entrypointCommands).toEqual(expect.arrayContaining(['api', 'worker', 'connector']));
  });

  it('sets only variables the connector reads', () => {
    for (const name of ['api', 'worker']) {
      for (const variable of Object.keys(compose.services[name].environment ?? {})) {
        expect(CONFIG_VARIABLES).toContain(variable);
      }
    }
  });
});

describe('Dockerfile and systemd units', () => {
  it('the image runs the entrypoint with one of its commands', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/app\/deploy\/entrypoint.sh"\]$/m);
    const cmd = /^CMD \["([a-z]+)"\]$/m.exec(dockerfile)![1];
    expect(entrypointCommands).toContain(cmd);
    expect(fs.statSync(path.join(ROOT, 'deploy/entrypoint.sh')).mode & 0o111).not.toBe(0);
    for (const env of [...dockerfile.matchAll(/^ENV (.+)$/gm)].flatMap((m) => m[1].split(/\s+/))) {
      const name = env.split('=')[0];
      if (name !== 'NODE_ENV') expect(CONFIG_VARIABLES).toContain(name);
    }
  });

  it.each(['connector-api', 'connector-worker'])('%s.service starts an entrypoint command', (unit) => {
    const text = read(`deploy/systemd/${unit}.service`);
    const exec = /^ExecStart=\S+\/deploy\/entrypoint\.sh ([a-z]+)$/m.exec(text);
    expect(exec).not.toBeNull();
    expect(entrypointCommands).toContain(exec![1]);
    expect(text).toMatch(/^EnvironmentFile=/m);
  });
});

describe('self-contained repository', () => {
  it('names no path outside the repository (the team’s reference shelf, the workplace)', () => {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !f.startsWith('docs/reference/') && !f.endsWith('.gz') && fs.existsSync(path.join(ROOT, f)));
    const offenders = files.filter((f) => {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      return /\.\.\/shared\/|shared\/reference|\/work\//.test(text.replace(/\/\/ allow: .*$/gm, ''));
    });
    expect(offenders.filter((f) => f !== 'tests/unit/deployment-files.test.ts')).toEqual([]);
  });
});
