// Filled in by the renderer commit.
