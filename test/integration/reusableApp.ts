// The module VS Code loads as extensionTestsPath for the reusable app's folder that
// reusableAppWorkspace.mjs writes: the suite on starting where only test settings name Django.
import './setupMocha';
import './suite/reusableApp.test';

export { run } from './runMocha';
