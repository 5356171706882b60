/**
 * `{{ … }}` and `{% … %}`, where session code in a template is, and `{# … #}` comments, which
 * render as nothing: Django's end on their line (over lines, `{#` is text and what it holds
 * renders), Jinja2's go on to their `#}`.
 */
const DJANGO_TAG = /\{#.*?#\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const JINJA_TAG = /\{#[\s\S]*?#\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
/** Block tags whose content is not rendered as template code: Django's `comment` and `verbatim`, Jinja2's `raw`. */
const UNRENDERED_BLOCK = /^(?:comment|verbatim|raw)(?:\s|$)/;

/**
 * The `{{ … }}` and `{% … %}` tags whose code the template engine runs, in order: not comments,
 * nor what a `{% comment %}`, `{% verbatim %}` or Jinja2's `{% raw %}` block holds.
 */
export function* renderedTags(text: string, jinja: boolean): Generator<RegExpExecArray> {
  let blockEnd: string | undefined;
  for (const tag of text.matchAll(jinja ? JINJA_TAG : DJANGO_TAG)) {
    const block = tag[0].startsWith('{%') ? blockContent(tag[0]) : undefined;
    if (blockEnd !== undefined) {
      blockEnd = block === blockEnd ? undefined : blockEnd;
      continue;
    }
    if (block !== undefined && UNRENDERED_BLOCK.test(block)) {
      // As Django's parser ends them: `{% endcomment %}`, and `{% endverbatim name %}` for `{% verbatim name %}`.
      blockEnd = block.startsWith('comment') ? 'endcomment' : `end${block}`;
      continue;
    }
    if (!tag[0].startsWith('{#')) {
      yield tag;
    }
  }
}

/** What a `{% … %}` tag holds, less the whitespace and Jinja2's whitespace control (`{%- raw -%}`). */
function blockContent(tag: string): string {
  return tag.slice(2, -2).replace(/^[-+]?\s*/, '').replace(/\s*[-+]?$/, '');
}
