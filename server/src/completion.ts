import { CompletionItemKind, CompletionItemTag, MarkupKind, type CompletionItem, type CompletionList } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { distinctPlaces, installedAppWrites, isTemplatePath, keyCompletionText, sameRange, savedWrites, sessionKeyCompletionContext, sessionSettingCompletions, templateKeyCompletionContext, type DjangoProject, type PythonParser, type ResolvedUsage, type SessionKeyIndex } from '../../engine/src';
import { keyUsageAt } from './keyUsageAt';
import type { ListedKeys } from './listedSessionKeys';
import { markdownCode } from './markdownCode';

/**
 * Session keys written in the workspace folder of `file`, offered inside `request.session['…']`
 * and friends (in a template, `{{ request.session.… }}` and the like), then the exact keys the apps in `installedApps` (the project's INSTALLED_APPS) write,
 * then those that sessions the Sessions view listed hold (`listed`) and nothing else writes.
 */
export function completeSessionKeys(
  index: SessionKeyIndex,
  document: TextDocument,
  file: string | undefined,
  line: number,
  character: number,
  root: string,
  installedApps?: readonly string[],
  listed: readonly ListedKeys[] = [],
): CompletionList | undefined {
  const context =
    file !== undefined && isTemplatePath(file)
      ? templateKeyCompletionContext(document.getText(), file, line, character)
      : sessionKeyCompletionContext(index, document.getText(), line, character);
  if (!context) {
    return undefined;
  }
  // The index already holds the key being typed (`request.session["ord"] = 5` writes `ord`): it is no key to offer.
  // Not while the file is held back (the line being typed does not parse): its places are the older
  // text's, where the cursor may fall on another access, whose key would go missing.
  const typed = file === undefined || index.isHeldBack(file) ? undefined : keyUsageAt(index, file, { line, character });
  const elsewhere = (u: ResolvedUsage) => typed === undefined || u.file !== typed.file || !sameRange(u.range, typed.range);
  const items: CompletionItem[] = [];
  for (const [key, usages] of index.keys(file)) {
    const writes = distinctPlaces(savedWrites(usages.filter(elsewhere)));
    const newText = keyCompletionText(context, key);
    if (writes.length === 0 || newText === undefined) {
      continue;
    }
    items.push({
      label: key,
      kind: CompletionItemKind.Value,
      detail: `session key · written in ${writes.length} place${writes.length === 1 ? '' : 's'}`,
      documentation: {
        kind: MarkupKind.Markdown,
        value: writes
          .slice(0, 5)
          .map((u) => `- ${markdownCode(`${path.relative(root, u.file) || path.basename(u.file)}:${u.range.start.line + 1}`)} (${u.op})`)
          .join('\n'),
      },
      filterText: key,
      textEdit: { range: context.range, newText },
      // A key the code writes comes first, also where a test writes it too.
      sortText: `${writes.every((u) => u.inTest) ? '1' : '0'}${key}`,
    });
  }
  const offered = new Set(items.map((item) => item.label));
  for (const { app, entry } of installedAppWrites(installedApps)) {
    const newText = keyCompletionText(context, entry.key);
    if (offered.has(entry.key) || newText === undefined) {
      continue;
    }
    offered.add(entry.key);
    items.push({
      label: entry.key,
      kind: CompletionItemKind.Value,
      detail: `session key · written by ${app.package}`,
      documentation: { kind: MarkupKind.Markdown, value: `${entry.description}\n\nWritten by the installed app ${app.package} (\`${app.modules[0]}\`).` },
      filterText: entry.key,
      textEdit: { range: context.range, newText },
      // After the project's own keys, in and out of tests.
      sortText: `2${entry.key}`,
    });
  }
  // A key the code writes, even only where the cursor is, is no key that only the store knows.
  const written = new Set([...index.keys(file)].filter(([, usages]) => savedWrites(usages).length > 0).map(([key]) => key));
  for (const { store, sessions } of listed) {
    for (const [key, count] of sessions) {
      const newText = keyCompletionText(context, key);
      if (offered.has(key) || written.has(key) || newText === undefined) {
        continue;
      }
      offered.add(key);
      const sessionCount = `${count} listed session${count === 1 ? '' : 's'}`;
      items.push({
        label: key,
        kind: CompletionItemKind.Value,
        detail: `session key · held by ${sessionCount} of ${store}, written by no code of the project`,
        documentation: {
          kind: MarkupKind.Markdown,
          value: `Held by ${sessionCount} of ${markdownCode(store)} in the Sessions view, though no code of the project writes it: a third-party app, Django or code outside the workspace may.`,
        },
        filterText: key,
        textEdit: { range: context.range, newText },
        // After every key something known writes.
        sortText: `3${key}`,
      });
    }
  }
  return { isIncomplete: false, items };
}

/**
 * In a settings module: Django's `SESSION_*` names where a module-level statement starts, and
 * the choices of a setting's value after `SESSION_X = ` (the caches of `project`'s CACHES for
 * SESSION_CACHE_ALIAS). Undefined where neither fits.
 */
export function completeSessionSettings(python: PythonParser, document: TextDocument, line: number, character: number, project?: DjangoProject): CompletionList | undefined {
  const completions = sessionSettingCompletions(python, document.getText(), line, character, project);
  if (completions.length === 0) {
    return undefined;
  }
  const items = completions.map((c, i): CompletionItem => {
    const item: CompletionItem = {
      label: c.label,
      kind: c.label.startsWith('SESSION_') ? CompletionItemKind.Property : CompletionItemKind.Value,
      detail: c.detail,
      documentation: { kind: c.plainText ? MarkupKind.PlainText : MarkupKind.Markdown, value: c.documentation },
      filterText: c.label,
      textEdit: { range: c.range, newText: c.newText },
      // Choices keep their order (Django's default first where it leads); names sort by name anyway.
      sortText: String(i).padStart(3, '0'),
    };
    if (c.deprecated) {
      item.tags = [CompletionItemTag.Deprecated];
    }
    return item;
  });
  return { isIncomplete: false, items };
}
