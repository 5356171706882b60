export function extensionReadme(markdown: string, readFile?: (file: string) => Buffer): string;
