/**
 * Headless Chromium for browser tests, driven by playwright-core: the build that the npm package
 * @sparticuz/chromium ships, so the tests need no system browser. `CHROMIUM_PATH` runs another
 * Chromium or Chrome executable instead.
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after } from 'node:test';
import { promisify } from 'node:util';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { extract } from 'tar';

const packageDir = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
const packageVersion: string = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
const binDir = join(packageDir, 'bin');

// Without the background-networking switches Chromium keeps calling Google's hosts, which a
// machine without internet access refuses. Playwright adds --headless and a new empty profile.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface ChromiumBuild {
  readonly executablePath: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The browser of the calling test file or suite: started by the first test that asks for it and
 * closed after the last. When none can start, every test that asks fails, saying why.
 */
export function useChromium(): () => Promise<Browser> {
  let browser: Promise<Browser> | undefined;
  after(async () => {
    await (await browser?.catch(() => undefined))?.close();
  });
  return () => (browser ??= launchChromium());
}

/** A new headless Chromium; the caller closes it. */
export async function launchChromium(): Promise<Browser> {
  const build = process.env.CHROMIUM_PATH ? { executablePath: process.env.CHROMIUM_PATH, env: {} } : await bundledChromium();
  try {
    return await chromium.launch({ executablePath: build.executablePath, args: chromiumArgs, env: { ...process.env, ...build.env } });
  } catch (error) {
    throw new Error(`Headless Chromium ${build.executablePath} did not start: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The package's Chromium, unpacked once per package version. Its own `executablePath()` unpacks
 * into fixed names in the temp folder, which two test processes starting at once would both write.
 */
async function bundledChromium(): Promise<ChromiumBuild> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`@sparticuz/chromium ships Chromium for Linux x64 only, not ${process.platform} ${process.arch}: set CHROMIUM_PATH to a Chromium or Chrome executable`);
  }
  const dir = await unpackedChromium();
  const executablePath = join(dir, 'chromium');
  const env: Record<string, string> = { FONTCONFIG_FILE: join(dir, 'fonts.conf') };
  if ((await missingLibraries(executablePath, {})).length > 0) {
    // The package ships NSS, NSPR and expat for Amazon Linux; on other systems lacking them, they fill the gap.
    env.LD_LIBRARY_PATH = [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    const stillMissing = await missingLibraries(executablePath, env);
    if (stillMissing.length > 0) {
      throw new Error(`Headless Chromium ${executablePath} cannot start: this system lacks the shared libraries ${stillMissing.join(', ')}`);
    }
  }
  return { executablePath, env };
}

async function missingLibraries(executablePath: string, env: Readonly<Record<string, string>>): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ldd', [executablePath], { env: { ...process.env, ...env } });
  return [...stdout.matchAll(/^\s*(\S+) => not found$/gm)].map((match) => match[1] ?? '');
}

/**
 * Unpacks into a staging folder renamed into place, so a folder that exists is complete. The
 * package's SwiftShader (software WebGL) stays packed: the browser runs with the GPU disabled.
 */
async function unpackedChromium(): Promise<string> {
  const dir = join(tmpdir(), `duckdag-chromium-${packageVersion}`);
  if (existsSync(dir)) return dir;
  const staging = mkdtempSync(`${dir}-unpacking-`);
  try {
    mkdirSync(join(staging, 'al2023'));
    await Promise.all([
      pipeline(createReadStream(join(binDir, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(staging, 'chromium'), { mode: 0o755 })),
      extract({ file: join(binDir, 'fonts.tar.br'), cwd: staging, preserveOwner: false }),
      extract({ file: join(binDir, 'al2023.tar.br'), cwd: join(staging, 'al2023'), preserveOwner: false }),
    ]);
    writeFileSync(join(staging, 'fonts.conf'), fontconfig(dir));
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw error; // else another process unpacked it first
  }
  return dir;
}

/** Only the bundled fonts, so pages render alike on every machine; the package's own config names /tmp. */
function fontconfig(dir: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dir, 'fonts')}</dir>
  <cachedir>${join(dir, 'fonts-cache')}</cachedir>
</fontconfig>
`;
}
