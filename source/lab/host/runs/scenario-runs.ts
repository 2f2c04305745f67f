import {type ScenarioName, scenarios} from '../../scenarios/scenarios.js';
import type {TimerParams} from '../../model/timeline.js';
import type {Side} from '../../shared/events.js';
import {busyRun} from './busy-run.js';
import {dropRun} from './drop-run.js';
import {frozenRun} from './frozen-run.js';
import {natRun} from './nat-run.js';
import type {ScenarioRun} from './run-loop.js';

/** One lab of a scenario's headless run: its keepalive over the scenario's, and what the run does in it. */
export type Phase = {keepalive?: Partial<Record<Side, boolean>>; run: ScenarioRun};

export type PhaseOptions = {
	/** After how many answered probes the drop goes on; undefined: the scenario's own default. */
	dropAfter?: number;
	/** nat: the router's timeout, seconds; undefined: the scenario's own. */
	natTimeout?: number;
};

/** Each scenario's headless run: one lab, or (nat) one without the server's keepalive and one with it, to compare. */
const runs: Record<ScenarioName, (params: TimerParams, options: PhaseOptions) => Phase[]> = {
	drop: (params, {dropAfter}) => [{run: dropRun(params, dropAfter ?? scenarios.drop.dropAfter)}],
	busy: (params, {dropAfter}) => [{run: busyRun(params, dropAfter ?? scenarios.busy.dropAfter, scenarios.busy.serverWrites)}],
	frozen: params => [{run: frozenRun(params, scenarios.frozen.serverWrites)}],
	nat(params, {natTimeout = scenarios.nat.routerTimeout}) {
		const phase = (server: boolean): Phase => ({keepalive: {server}, run: natRun(params, server, natTimeout, scenarios.nat.clientWrites)});
		return [phase(false), phase(true)];
	},
};

/** The scenario's labs, in the order they run. */
export function scenarioPhases(name: ScenarioName, params: TimerParams, options: PhaseOptions = {}): Phase[] {
	return runs[name](params, options);
}
