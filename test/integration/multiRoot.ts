// The module VS Code loads as extensionTestsPath for the two-folder workspace that
// multiRootWorkspace.mjs writes: the suite on what differs between workspace folders.
import './setupMocha';
import './suite/folderSettings.test';

export { run } from './runMocha';
