// $TB_HOME/scripts/system.sh for lab nodes (seed 001 §15.5 step 6): the lab has no real Tibero
// scripts, so this stand-in prints the seed's progress lines. It refuses, as the real script would fail,
// when the local instance is not running in NORMAL mode (asked through the simulated cmrctl).

const PACKAGES = [
  "standard",
  "dbms_output",
  "dbms_lob",
  "dbms_utility",
  "dbms_obfuscation",
  "dbms_transaction",
  "dbms_random",
  "dbms_lock",
  "dbms_system",
  "dbms_job",
  "utl_raw",
  "utl_file",
  "tb_utility",
];

export function renderSystemSh(): string {
  return [
    "#!/bin/sh",
    "# Lab stand-in for Tibero's system.sh: prints the seed's progress lines.",
    '[ -n "$1" ] || { echo "Usage: system.sh <tbsvr path>" >&2; exit 1; }',
    'd=$(cd "$(dirname "$0")" && pwd)',
    'sid=${TB_SID:-}',
    'cmrctl show all 2>/dev/null | grep -q " db  *$sid UP(NRML) " || { echo "system.sh: instance $sid is not running in NORMAL mode" >&2; exit 1; }',
    'echo "Creating the role DBA..."',
    'echo "Creating system users & roles..."',
    'echo "Creating virtual tables(1)..."',
    'echo "Creating virtual tables(2)..."',
    'echo "Granting public access to _VT_DUAL..."',
    'echo "Creating the system generated sequences..."',
    'echo "Creating system packages:"',
    `for p in ${PACKAGES.join(" ")}; do echo "    Running $d/pkg_$p.sql..."; done`,
    'echo "Creating public synonyms for system packages..."',
    'echo "   ............................................"',
    "",
  ].join("\n");
}
