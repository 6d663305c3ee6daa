// Phase names as people write them: "Phase 1" in a matrix cell or a gate names the phase
// "Phase 1: unified database" of the config or the matrix (and vice versa).

export function phaseNameMatches(phaseName: string, other: string): boolean {
  const norm = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, ' ');
  const head = (s: string): string => norm(s.split(/[:：]/)[0] ?? s);
  return norm(phaseName) === norm(other) || head(phaseName) === head(other);
}
