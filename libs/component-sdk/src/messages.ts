/**
 * Messages in the user's words. Components and engines write one message; the console and the API show a
 * parameter by its label (PAI's wording: "Vector column", "Number of clusters"), the command line by its flag
 * (`--vector-col`, `--k`). These two functions translate a message between those vocabularies.
 */
import { cliFlagName, sentenceLabel } from './params';
import type { ComponentDescription, ComponentEnv, ParameterDescription } from './types';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A library message in the console's words: every camelCase parameter name it mentions (kMin, covarianceTypes,
 * memoryPerWorkerMb) becomes that parameter's label, and so does a message's leading `subject` (the parameter an
 * engine error is about: "k must be …" → "Number of clusters must be …", "k = 5 is …" → "Number of clusters (5) is …"; short names such as k are replaced only
 * there, where they cannot be an ordinary word).
 */
export function inLabels(message: string, parameters: readonly ParameterDescription[], subject?: string): string {
  let out = message;
  const lead = subject ? parameters.find((p) => p.name === subject) : undefined;
  if (lead) {
    out = out
      .replace(new RegExp(`^${escape(lead.name)} = (\\S+)`), `${sentenceLabel(lead)} ($1)`) // "k = 5 is larger …"
      .replace(new RegExp(`^${escape(lead.name)}\\b`), sentenceLabel(lead));
  }
  for (const p of parameters) {
    if (!/[A-Z]/.test(p.name)) continue;
    out = out.replace(new RegExp(`\\b${escape(p.name)}\\b`, 'g'), sentenceLabel(p));
  }
  return out;
}

/**
 * A message in the command line's words: each parameter's label (as written, capitalised) and camelCase name
 * become its flag (a label's unit after a comma may be left out). Longer labels go first, so "Prediction detail column" is not read as "Prediction …".
 */
export function inFlags(message: string, description: Pick<ComponentDescription, 'parameters'>): string {
  let out = message;
  const byLength = [...description.parameters].sort((a, b) => b.label.length - a.label.length);
  for (const p of byLength) {
    // "Memory per worker, MB" is "Memory per worker (MB)" or "Memory per worker" in a sentence
    for (const label of new Set([p.label, sentenceLabel(p), p.label.replace(/, [^,]+$/, '')])) {
      out = out.replace(new RegExp(`(^|[^\\w-])${escape(label)}(?![\\w])`, 'g'), `$1${cliFlagName(p)}`);
    }
  }
  for (const p of byLength) {
    if (/[A-Z]/.test(p.name)) out = out.replace(new RegExp(`(^|[^\\w-])${escape(p.name)}\\b`, 'g'), `$1${cliFlagName(p)}`);
  }
  return out;
}

/**
 * How a message names a dataset that is not stored (any more): `dataset "old faithful" (deleted)` when the host
 * remembers the name it had, else `dataset "<id>"`.
 */
export function missingDatasetPhrase(id: string, env?: Pick<ComponentEnv, 'deletedDatasetName'>): string {
  const name = env?.deletedDatasetName?.(id);
  return name !== undefined ? `dataset "${name}" (deleted)` : `dataset "${id}"`;
}
