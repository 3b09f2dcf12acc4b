/**
 * Temporal's Java time-skipping test server, fetched from Maven Central with
 * `mvn dependency:copy-dependencies` and run through a wrapper that execs java.
 * Handed to @temporalio/testing as an `existing-path` executable.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, progress, requireTool, runBuild } from './process.ts';
import { TEMPORAL_TEST_SERVER_VERSION } from './versions.ts';

/** Returns the path of the wrapper script, fetching the jars when not cached. */
export async function ensureTemporalTestServer(cacheDir: string): Promise<string> {
  const dir = join(cacheDir, `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`);
  const wrapper = join(dir, 'temporal-test-server');
  await buildOnce(wrapper, async () => {
    const java = requireTool(
      'java',
      'The Temporal time-skipping test server',
      'Install a Java 11+ runtime (Debian: apt-get install default-jre-headless).',
    );
    const mvn = requireTool(
      'mvn',
      'Fetching the Temporal time-skipping test server',
      'Install Maven (Debian: apt-get install maven).',
    );
    progress(
      `fetching Temporal's test server ${TEMPORAL_TEST_SERVER_VERSION} from Maven Central (first run only)`,
    );
    const staging = `${dir}.building`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(
      join(staging, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>golden-thread</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`,
    );
    await runBuild(
      'test server fetch',
      mvn,
      [
        '-B',
        '-q',
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        '-DoutputDirectory=lib',
      ],
      {
        cwd: staging,
        hint: 'check that Maven Central is reachable (see ~/.m2/settings.xml for proxies).',
      },
    );
    // Serial GC and a small heap start the JVM well inside the SDK's 5 s wait.
    writeFileSync(
      join(staging, 'temporal-test-server'),
      `#!/bin/sh\nexec "${java}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "${dir}/lib/*" io.temporal.testserver.TestServer "$@"\n`,
    );
    chmodSync(join(staging, 'temporal-test-server'), 0o755);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  });
  return wrapper;
}
