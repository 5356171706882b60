export function seedDemo(options?: { fresh?: boolean; target?: string }): Promise<string>;
