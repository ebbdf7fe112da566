/**
 * Knot's engine. Exported: the snapshot records and the catalogue of wait sites, the inputs (dump readers, the live
 * snapshot), the analysis entry point ({@code dev.knot.rules.Analyzer}), findings and renderers. The wait-for model
 * ({@code dev.knot.model}) is internal: what a finding rests on travels in its own evidence records.
 */
module dev.knot.core {
    requires com.fasterxml.jackson.core;
    requires java.management;
    requires jdk.management;

    exports dev.knot.snapshot;
    exports dev.knot.sites;
    exports dev.knot.input;
    exports dev.knot.live;
    exports dev.knot.rules;
    exports dev.knot.findings;
    exports dev.knot.render;
}
