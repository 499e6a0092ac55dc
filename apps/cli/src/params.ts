/**
 * Command-line options derived from a component's description: one option per parameter, its help, default,
 * range and choices read from the description, its value checked by the component SDK's resolveParams.
 * Nothing here restates a parameter list.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  cliFlagName,
  inFlags,
  resolveParams,
  type ComponentDescription,
  type FieldError,
  type ParameterDescription,
  type ParameterValue,
  type Params,
} from '@mixflow/component-sdk';
import { CliUsageError } from './io';

/**
 * A parameter's option name without the dashes, as the component SDK's cliFlagName gives it: `maxIter` →
 * `max-iter`, or the description's cliFlag (`numWorkers` → `workers`). Pass the component's description
 * when you have only the parameter's name, so its cliFlag is found.
 */
export function flagName(parameter: ParameterDescription | string, description?: ComponentDescription): string {
  return cliFlagName(parameter, description).replace(/^--/, '');
}

export interface DerivedOption {
  parameter: ParameterDescription;
  /** e.g. `--max-iter` */
  flag: string;
  /** the key commander stores the value under */
  attribute: string;
}

/** The options a command got from a description; turns parsed values back into component parameters. */
export class DerivedOptions {
  constructor(
    readonly description: ComponentDescription,
    readonly options: DerivedOption[],
  ) {}

  flagOf(parameter: string | undefined): string | undefined {
    if (!parameter) return undefined;
    return this.options.find((o) => o.parameter.name === parameter)?.flag ?? cliFlagName(parameter, this.description);
  }

  /** Only the parameters given on the command line; defaults come from resolveParams. */
  rawParams(values: Record<string, unknown>): Params {
    const raw: Params = {};
    for (const o of this.options) {
      const value = values[o.attribute];
      if (value !== undefined) raw[o.parameter.name] = value as ParameterValue;
    }
    return raw;
  }

  /** Defaults filled in and every value checked against the description; the first problems become one line. */
  resolve(raw: Params): Params {
    const { params, errors } = resolveParams(this.description, raw);
    // a command that shows only some parameters answers only for those
    const shown = errors.filter((e) => !e.parameter || this.options.some((o) => o.parameter.name === e.parameter));
    if (shown.length > 0) throw this.usageError(shown);
    // a value given for a parameter its conditions hide would silently do nothing: say so instead
    for (const name of Object.keys(raw)) {
      const p = this.description.parameters.find((x) => x.name === name);
      if (p?.showIf && !(name in params)) {
        const when = Object.entries(p.showIf)
          .map(([other, allowed]) => `${this.flagOf(other)} ${allowed.join('|')}`)
          .join(' and ');
        throw new CliUsageError(`${this.flagOf(name)} applies only with ${when}.`);
      }
    }
    return params;
  }

  usageError(errors: readonly FieldError[]): CliUsageError {
    return new CliUsageError(errors.map((e) => cliMessage(e.message, this.description, this.flagOf(e.parameter))).join('; '));
  }
}

/**
 * A component's message on the command line: parameters named by their flags, not the console's labels, and led by
 * the flag it is about (unless it already starts with it: "Feature columns: column …" → "--feature-cols: column …").
 */
export function cliMessage(message: string, description: ComponentDescription, flag?: string): string {
  const text = inFlags(message, description);
  return flag && !text.startsWith(flag) ? `${flag}: ${text}` : text;
}

function describeDefault(p: ParameterDescription, description: ComponentDescription): string {
  const notes: string[] = [];
  if (p.required) notes.push('required');
  if (p.showIf) {
    notes.push(`only with ${Object.entries(p.showIf).map(([name, allowed]) => `${cliFlagName(name, description)} ${allowed.join('|')}`).join(' and ')}`);
  }
  if (p.type === 'enum' || p.type === 'enums') notes.push(`${p.type === 'enums' ? 'any of' : 'one of'} ${choicesOf(p).join(', ')}`);
  if (p.min !== undefined && p.max !== undefined) notes.push(`range [${p.min}, ${p.max}]`);
  else if (p.min !== undefined) notes.push(`at least ${p.min}`);
  else if (p.max !== undefined) notes.push(`at most ${p.max}`);
  if (p.default !== undefined && p.default !== null && !(Array.isArray(p.default) && p.default.length === 0)) {
    notes.push(`default: ${Array.isArray(p.default) ? p.default.join(',') : String(p.default)}`);
  }
  return notes.length ? ` (${notes.join('; ')})` : '';
}

const choicesOf = (p: ParameterDescription): string[] => (p.options ?? []).map((o) => o.value);

function numberParser(p: ParameterDescription, flag: string) {
  return (text: string): number => {
    const value = p.type === 'int' ? (/^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN) : Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`${flag} expects ${p.type === 'int' ? 'an integer' : 'a number'}, got '${text}'.`);
    }
    return value;
  };
}

/**
 * Adds one option per parameter of `description` (all, or `only` those named) to `command`.
 * Booleans get `--name` and `--no-name`; columns lists are comma separated; enums list their choices in the help.
 * An enum's value is checked once, by resolveParams against the description (commander's `choices` would check it
 * a second time, in other words), so a wrong choice reads like every other wrong parameter.
 */
export function addComponentOptions(
  command: Command,
  description: ComponentDescription,
  select: { only?: readonly string[]; except?: readonly string[] } = {},
): DerivedOptions {
  const derived: DerivedOption[] = [];
  for (const p of description.parameters) {
    if (select.only && !select.only.includes(p.name)) continue;
    if (select.except?.includes(p.name)) continue;
    const flag = cliFlagName(p);
    const help = `${p.label}: ${p.help}${describeDefault(p, description)}`;
    let option: Option;
    switch (p.type) {
      case 'boolean': {
        option = new Option(flag, help);
        command.addOption(option);
        command.addOption(new Option(`--no-${flagName(p)}`, `turn off ${flag}`));
        break;
      }
      case 'int':
      case 'double':
        option = new Option(`${flag} <${p.type === 'int' ? 'n' : 'x'}>`, help).argParser(numberParser(p, flag));
        command.addOption(option);
        break;
      case 'enum':
        option = new Option(`${flag} <value>`, help);
        command.addOption(option);
        break;
      case 'enums':
        // the comma-separated text as given: resolveParams splits it and checks every item
        option = new Option(`${flag} <a,b,...>`, `${help} (one or more, comma separated)`);
        command.addOption(option);
        break;
      case 'columns':
        option = new Option(`${flag} <a,b,...>`, help).argParser((text: string) =>
          text.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
        );
        command.addOption(option);
        break;
      default:
        option = new Option(`${flag} <${p.type === 'column' ? 'column' : 'text'}>`, help);
        command.addOption(option);
    }
    derived.push({ parameter: p, flag, attribute: option.attributeName() });
  }
  return new DerivedOptions(description, derived);
}

/** `--samples`-style integer options that are not component parameters. */
export function integerOption(flag: string, text: string, min: number): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new InvalidArgumentError(`${flag} expects an integer, got '${text}'.`);
  const value = Number(text);
  if (value < min) throw new InvalidArgumentError(`${flag} must be at least ${min}, got ${value}.`);
  return value;
}

export function numberOption(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`${flag} expects a number, got '${text}'.`);
  return value;
}
