"""Pure domain logic: frames in, results out; no SQL, no Streamlit, no figures."""
