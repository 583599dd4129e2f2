// The tool's version, shown by --version and recorded in every log and report.
export const VERSION = '0.1.0';
