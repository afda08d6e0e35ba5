// The collector script, shipped inside the bundle: sent on stdin to `sh -s` wherever it runs.
import script from './collector.sh';

export const COLLECTOR_SCRIPT: string = script;
