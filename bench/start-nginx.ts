import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchProcess, type BenchProcess } from './bench-process.ts';
import { freeLoopbackPort } from './free-port.ts';

export interface BenchNginx {
  /** proxy_pass with nginx's default response buffering (non-streaming requests). */
  url: string;
  /** The same with `proxy_buffering off`, as an SSE proxy is configured. */
  streamUrl: string;
  version: string;
  process: BenchProcess;
}

export function nginxVersion(): string | undefined {
  const result = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return /nginx\/(\S+)/.exec(result.stderr ?? '')?.[1];
}

/**
 * The floor: one nginx worker doing proxy_pass to the mock over keep-alive upstream connections,
 * no access log, no default site (only this generated config is loaded).
 */
function nginxConfig(dir: string, upstreamHostPort: string, port: number, streamPort: number): string {
  return `daemon off;
master_process on;
worker_processes 1;
user root;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  keepalive_requests 1000000;
  keepalive_timeout 65s;
  upstream mock {
    server ${upstreamHostPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:${streamPort};
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`nginx did not listen on port ${port} in time`);
}

export async function startBenchNginx(options: { upstreamUrl: string; dir: string; cpu?: number }): Promise<BenchNginx | undefined> {
  const version = nginxVersion();
  if (version === undefined) return undefined;
  const [port, streamPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  await mkdir(options.dir, { recursive: true });
  const configPath = join(options.dir, 'nginx.conf');
  await writeFile(configPath, nginxConfig(options.dir, new URL(options.upstreamUrl).host, port, streamPort));
  const { process } = await startBenchProcess('nginx', 'nginx', { args: ['-p', options.dir, '-c', configPath, '-e', join(options.dir, 'error.log')], cpu: options.cpu });
  await Promise.all([waitForPort(port, 10_000), waitForPort(streamPort, 10_000)]);
  return { url: `http://127.0.0.1:${port}`, streamUrl: `http://127.0.0.1:${streamPort}`, version, process };
}
