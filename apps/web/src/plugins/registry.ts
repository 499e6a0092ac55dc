/**
 * The plugins' web parts: the one file of the console that names them. A plugin's folder here draws its
 * namespaced view kinds; everything else in the console speaks only of descriptions, tables, models and views.
 */
import { genericViews } from '../modules/results/components/genericViews';
import type { ResultViewComponent } from '../modules/results/types';
import { evalViews } from './eval';
import { gmmViews } from './gmm';

/** View kind → the component that draws it. */
export const viewComponents: Readonly<Record<string, ResultViewComponent>> = { ...genericViews, ...gmmViews, ...evalViews };
