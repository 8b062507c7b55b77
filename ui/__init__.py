"""The Streamlit app (run ``streamlit run ui/app.py``); logic lives in ``scheduler``."""
