"""The reference meeting server (FastAPI) and its admin CLI ``meetingroom-server``."""
