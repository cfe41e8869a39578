"""ReLU Lab: placeholder page until the page issue lands."""

import streamlit as st

from relulab import relu, relu_dash

st.set_page_config(page_title="ReLU Lab", page_icon="📈")
st.title("ReLU Lab")
st.write("relu([-2, 0, 3], leak=0.1) =", relu([-2.0, 0.0, 3.0], 0.1))
st.write("relu_dash([-2, 0, 3], leak=0.1) =", relu_dash([-2.0, 0.0, 3.0], 0.1))
