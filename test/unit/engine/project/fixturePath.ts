import * as path from 'node:path';

/** Absolute path of a fixture project under test/fixtures/projects. */
export function fixtureProject(name: string): string {
  return path.resolve(__dirname, '../../../fixtures/projects', name);
}
