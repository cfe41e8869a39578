// ReLU Lab's browser memory: writes the cookies the server asks for (a class's teacher
// token, a student's anonymous id), so that a reload or a reconnection after a server
// restart is the same teacher and the same student. A server cannot set a cookie over
// Streamlit's websocket; the browser sends these with its next websocket handshake, where
// st.context.cookies reads them. Values are checked on the server (relulab_app/cookies.py):
// letters, digits, '-' and '_' only.
export default function ({ data }) {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  for (const [name, value, age] of (data && data.set) || []) {
    document.cookie = `${name}=${value}; Max-Age=${age}; Path=/; SameSite=Strict${secure}`;
  }
}
