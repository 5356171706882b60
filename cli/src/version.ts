import { version } from '../../package.json';

/** What `django-sessions --version` prints: the name and the package version it was built from. */
export const VERSION_LINE = `django-sessions ${version}`;
