export function extensionReadme(markdown: string, readFile?: (file: string) => Buffer): string;
export function headingAnchor(heading: string): string;
