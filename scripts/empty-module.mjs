// Stands in for optional packages imos never uses (react-devtools-core, loaded by Ink only in
// development), so the bundle has no import that cannot be resolved.
export default {};
