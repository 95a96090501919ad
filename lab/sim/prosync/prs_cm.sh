# Lab stand-in for $PRS_HOME/bin/prs_cm.sh, which the CM agent script prs_<n>.sh sources. The lab's CM
# does not execute agent scripts (it judges them, see lab/sim/tibero/agent-verdict.ts); these functions
# only keep a hand-run `bash prs_0.sh PROBE` from failing.
start() { return 0; }
probe() { return 0; }
stop() { return 0; }
send() { return 0; }
