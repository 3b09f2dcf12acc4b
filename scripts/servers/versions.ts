/** Pinned versions of every server the local stack builds. Change them here only. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
export const FERRETDB_VERSION = '1.24.2';
/** Our wrapper around it (scripts/ferretdb); bump when main.go changes, so caches rebuild. */
export const FERRETDB_WRAPPER_REVISION = 2;
export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';
/** Schemathesis, from PyPI, which fuzzes the API from its OpenAPI document in the test suite. */
export const SCHEMATHESIS_VERSION = '4.32.5';
/** Prometheus's promtool (Go module github.com/prometheus/prometheus), which checks and tests the alert rules. */
export const PROMTOOL_VERSION = '0.316.0';
/** Jaeger all-in-one (v2, `cmd/jaeger`), the trace backend of the tracing test only. */
export const JAEGER_VERSION = '1.75.0';
