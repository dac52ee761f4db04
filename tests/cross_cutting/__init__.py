"""Properties run over every class: invariants, pickling, surfaces, engines, hostile input."""
