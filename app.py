"""ReLU Lab's server: the page (page.py) and, beside it, the class news that students'
pages ask for (relulab_app/news.py). ``streamlit run app.py`` finds ``app`` and serves
both; Streamlit's own routes and settings are unchanged."""

import streamlit as st

from relulab_app.news import ROUTES

app = st.App("page.py", routes=ROUTES)
