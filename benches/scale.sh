#!/bin/sh
# Whole-process figures of issue 10 at three sizes, written to benches/RESULTS.md.
#
#   benches/scale.sh                         # 20,000, 100,000 and 500,000 households
#   IMPAYES_SCALE_SIZES="20000" benches/scale.sh
#
# Demo databases are generated once into $IMPAYES_SCALE_DIR (default /tmp/impayes-scale; the
# 500,000-household file takes about 8 GB, and as much again for its journal while it is
# written) and reused by later runs. Each size is then measured by `impayes bench`, which opens
# the file as the workstation does and times start-up, lookup keystrokes, cursor moves (with the
# bytes they send), sort, filter, dossier opening, yearly figures and agenda when available, a
# CSV import (dry run, then committed into a copy of the file) against `sqlite3 .import`, and
# the lookup against `fzf --filter`. The copy needs as much free disk as the database.
# Both comparisons need the programs (`apt-get install sqlite3 fzf`); without them the results
# file says they are absent.
set -eu
cd "$(dirname "$0")/.."
DIR=${IMPAYES_SCALE_DIR:-/tmp/impayes-scale}
SIZES=${IMPAYES_SCALE_SIZES:-"20000 100000 500000"}
TODAY=2026-11-22
mkdir -p "$DIR"
cargo build --release --quiet
B=target/release/impayes
OUT=benches/RESULTS.md
{
    echo "# Scale and speed results"
    echo
    echo "Written by \`benches/scale.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GB of memory."
    echo "Every figure comes from \`impayes bench\` on a demo database of the given size (\`--today $TODAY\`, user \`pmuller\`)."
    echo "Times are wall-clock on this machine; anything else running on it shows in them. The database file is read once before each size is measured (warm page cache, as on a server the team uses all day)."
    if [ "$(cat /sys/kernel/mm/damon/admin/kdamonds/0/state 2>/dev/null)" = on ]; then
        echo
        echo "This machine's host reclaims page-cache pages left idle for about 30 s (DAMON \`pageout\`), so the measures taken minutes after that read (the figures, the agenda, the import at 500,000 households) read part of the file from disk again: a server in use all day keeps it."
    fi
    echo
} > "$OUT"
for n in $SIZES; do
    db="$DIR/demo-$n.sqlite3"
    echo "## $n households" >> "$OUT"
    echo >> "$OUT"
    if [ ! -f "$db" ]; then
        start=$(date +%s)
        "$B" demo --db "$db" --households "$n" --months 36 --today "$TODAY" --force > "$DIR/demo-$n.log"
        end=$(date +%s)
        echo "Demo generated in $((end - start)) s ($(sed -n 2p "$DIR/demo-$n.log"))." >> "$OUT"
    else
        echo "Demo database reused: $(sed -n 2p "$DIR/demo-$n.log" 2>/dev/null || echo "$db")." >> "$OUT"
    fi
    echo "File size: $(du -h "$db" | cut -f1)." >> "$OUT"
    echo >> "$OUT"
    # The file read once beforehand, as on a server where the team has it open all day: the
    # figures are those of a warm page cache, not of the disk.
    cat "$db" > /dev/null
    "$B" --db "$db" --today "$TODAY" --user pmuller bench --markdown >> "$OUT"
    echo >> "$OUT"
done
echo "Written $OUT"
