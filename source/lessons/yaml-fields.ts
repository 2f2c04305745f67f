import {isMap, isScalar, isSeq, LineCounter, parseDocument} from 'yaml';
import {fail, type Place} from './problem.js';

/** The fields of a YAML mapping, and the file line each one's key (or, for a list, its `index`-th item) is on. */
export type YamlFields = {values: Record<string, unknown>; lineOf: (key: string, index?: number) => number};

/**
 * Reads YAML that must be a mapping: the front matter or a step block. `place.line` is
 * the file line of the YAML's first line; a syntax error is reported on its own line.
 */
export function yamlFields(text: string, place: Place, what: string, notFields: string): YamlFields {
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, {lineCounter});
	const at = (offset: number) => place.line + lineCounter.linePos(offset).line - 1;
	const [error] = doc.errors;
	if (error) {
		// The parser's own "at line …" counts from the YAML's start, not the file's.
		const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
		fail({...place, line: at(error.pos[0])}, `${what} is not valid YAML: ${message}`);
	}

	const values: unknown = doc.toJS();
	if (!isMap(doc.contents) || values === null || typeof values !== 'object' || Array.isArray(values)) fail(place, notFields);
	const lines = new Map<string, number>();
	for (const {key, value} of doc.contents.items) {
		if (!isScalar(key) || !key.range) continue;
		lines.set(String(key.value), at(key.range[0]));
		if (!isSeq(value)) continue;
		for (const [index, item] of value.items.entries()) {
			const range = (item as {range?: [number, number, number]} | null)?.range;
			if (range) lines.set(`${String(key.value)}[${index}]`, at(range[0]));
		}
	}

	const lineOf = (key: string, index?: number) => lines.get(index === undefined ? key : `${key}[${index}]`) ?? lines.get(key) ?? place.line;
	return {values: values as Record<string, unknown>, lineOf};
}
