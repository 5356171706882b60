import { discoverProjects, type DjangoProject } from '../../../../engine/src/project';
import { tempProject } from './tempProject';

/**
 * The one project of a temporary folder whose `app/settings.py` is `settings` (manage.py names
 * it), with `files` beside it, read with the environment `env`.
 */
export async function projectWithSettings(settings: string, files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): Promise<DjangoProject> {
  const root = tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
    'app/__init__.py': '',
    'app/settings.py': settings,
    ...files,
  });
  const [project] = await discoverProjects(root, { env });
  return project!;
}
