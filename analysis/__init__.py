"""Domain logic on frames from the store: no SQL, no widgets."""
