/** The package version, reported by `--version`, `/healthz`, the OpenAPI document and SARIF logs. */
export const IMAGEGATE_VERSION = '0.1.0';
