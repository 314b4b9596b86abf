// Package ghaction holds the tests of the GitHub Action (action.yml at the repository root): they run
// the action's shell steps the way a runner does, with the GITHUB_* variables, $GITHUB_OUTPUT and
// $GITHUB_STEP_SUMMARY, and check the annotations, outputs and job summary it produces. TestWorkflow
// runs the repository's own workflow the same way. The tests that build podlint run only with
// PODLINT_E2E=1 (.ci/run sets it), so that go test ./... stays quick.
package ghaction
