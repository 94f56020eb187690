#!/usr/bin/env bash
# Letters to PDF (issue 6): our mail merge of N letters (one PDF per
# recipient, then one combined PDF), and in the same run LibreOffice
# headless converting the same letters, written as OpenDocument files, to
# PDF: what secretariats do today. LibreOffice converts a sample
# (LO_SAMPLE, 200 by default) and its time is extrapolated to N. Both use
# every core: our writer with one worker per core, LibreOffice with one
# process per core (each with its own profile, started once before
# timing), 100 files per process start. The machine is shared, so each
# side runs REPEAT times (3 by default), alternately, and the best time of
# each is kept. Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-5000}
SAMPLE=${LO_SAMPLE:-200}
WORKERS=${WORKERS:-$(nproc)}
REPEAT=${REPEAT:-3}

if ! command -v soffice >/dev/null; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null
fi
FONTDIR=$PWD/node_modules/@expo-google-fonts/noto-serif-jp
[ -f "$FONTDIR/400Regular/NotoSerifJP_400Regular.ttf" ] || make refdata

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
go build -o "$OUT/letterbench" ./scripts/letterbench

# ours runs the merge once and sets per and comb to its times, in seconds.
ours() {
	rm -rf "$OUT/merge"
	local out
	out=$("$OUT/letterbench" -n "$N" -workers "$WORKERS" -odt "$SAMPLE" -out "$OUT/merge")
	per=$(sed -n 's/.*per_recipient_s=\([0-9.]*\).*/\1/p' <<<"$out")
	comb=$(sed -n 's/.*combined_s=\([0-9.]*\).*/\1/p' <<<"$out")
	local made
	made=$(find "$OUT/merge/pdf" -name '*.pdf' | wc -l)
	[ "$made" -eq "$N" ] || { echo "our merge wrote $made PDFs, not $N" >&2; exit 1; }
}
ours

# LibreOffice sets the letters in the same font, found through fontconfig.
cat >"$OUT/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>$FONTDIR</dir>
  <cachedir>$OUT/fontcache</cachedir>
</fontconfig>
CONF
export FONTCONFIG_FILE=$OUT/fonts.conf
soffice_in() { soffice -env:UserInstallation="file://$OUT/profile$1" --headless --convert-to pdf --outdir "$2" "${@:3}" >/dev/null 2>&1; }
for w in $(seq 1 "$WORKERS"); do
	soffice_in "$w" "$OUT/warm" "$OUT/merge/odt/00000.fodt" # creates the profile, untimed
done
# libreoffice converts the sample and sets lo to its time, in seconds.
libreoffice() {
	rm -rf "$OUT/lo"
	local files mine start end w i j converted
	mapfile -t files < <(find "$OUT/merge/odt" -name '*.fodt' | sort)
	start=$(date +%s.%N)
	for w in $(seq 1 "$WORKERS"); do
		mine=()
		for i in "${!files[@]}"; do
			if (( i % WORKERS == w - 1 )); then mine+=("${files[$i]}"); fi
		done
		# One process converts at most 100 files: past some 250,
		# LibreOffice 7.4 silently stops converting.
		(for ((j = 0; j < ${#mine[@]}; j += 100)); do soffice_in "$w" "$OUT/lo" "${mine[@]:j:100}"; done) &
	done
	wait
	end=$(date +%s.%N)
	converted=$(find "$OUT/lo" -name '*.pdf' | wc -l)
	[ "$converted" -eq "${#files[@]}" ] || { echo "LibreOffice converted $converted of ${#files[@]} letters" >&2; exit 1; }
	lo=$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')
}

best() { awk -v a="$1" -v b="$2" 'BEGIN{print (b < a ? b : a)}'; }
libreoffice
bestper=$per bestcomb=$comb bestlo=$lo
for _ in $(seq 2 "$REPEAT"); do
	ours
	libreoffice
	bestper=$(best "$bestper" "$per") bestcomb=$(best "$bestcomb" "$comb") bestlo=$(best "$bestlo" "$lo")
done
per=$bestper comb=$bestcomb lo=$bestlo

awk -v n="$N" -v s="$SAMPLE" -v per="$per" -v comb="$comb" -v lo="$lo" -v w="$WORKERS" -v r="$REPEAT" 'BEGIN {
	lon = lo * n / s
	printf "| | letters converted | time | per letter | %d letters |\n|---|---|---|---|---|\n", n
	printf "| Rencontres, one PDF per recipient (%d workers) | %d | %.1f s | %.1f ms | %.1f s |\n", w, n, per, per*1000/n, per
	printf "| Rencontres, one combined PDF | %d | %.1f s | %.1f ms | %.1f s |\n", n, comb, comb*1000/n, comb
	printf "| LibreOffice headless, one PDF per letter (%d processes) | %d | %.1f s | %.1f ms | %.0f s (extrapolated) |\n", w, s, lo, lo*1000/s, lon
	printf "\nBest of %d runs each. LibreOffice / Rencontres: %.0fx (one PDF per recipient), %.0fx (combined)\n", r, lon/per, lon/comb
}'
echo
echo "Machine: $(nproc) cores, $(go env GOVERSION), $(soffice --version 2>/dev/null | head -1), $(date -u +%Y-%m-%d)"
