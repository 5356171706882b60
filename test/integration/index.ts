// The module VS Code loads as extensionTestsPath for the demo folder: it loads the suites (after
// setupMocha, which installs describe and it) and runs them (see runMocha).
import './setupMocha';
import './suite/smoke.test';
import './suite/sessionsView.test';
import './suite/liveChanges.test';
import './suite/completion.test';
import './suite/keyNavigation.test';
import './suite/keyInCode.test';
import './suite/diagnostics.test';
import './suite/settingsChange.test';
import './suite/cacheDrift.test';
import './suite/commandsWithoutStores.test';
import './suite/storeProblems.test';
import './suite/actionPrompts.test';
import './suite/sessionActions.test';
import './suite/sessionSettings.test';

export { run } from './runMocha';
