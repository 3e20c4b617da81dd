"""Configuration and transport: the OpenAI-compatible chat-completions protocol.

Talks to any server that speaks it (ollama, vLLM, llama.cpp's server, OpenAI, ...) through the
official ``openai`` client with its own retries switched off; this module retries 429, 5xx,
timeouts and connection errors itself with exponential backoff, then gives up with
:class:`LLMError`. It never writes anything.
"""
from __future__ import annotations

import json
import os
import re
import time
import tomllib
from pathlib import Path
from typing import Any

CONFIG_HELP = (
    "No LLM is configured. Set the environment variables SABUESO_LLM_BASE_URL (an "
    "OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 for ollama) and "
    "SABUESO_LLM_MODEL (e.g. qwen2.5:14b), and optionally SABUESO_LLM_API_KEY; or write them "
    "in the config file ~/.config/sabueso/config.toml, section [llm], keys base_url, model "
    "and api_key. See docs/llm.md.")

_DEFAULTS = {"timeout": 120.0, "tries": 3, "backoff": 1.0, "temperature": 0.0,
             "json_mode": True, "max_tokens": 4096}
_ENV = {"base_url": "SABUESO_LLM_BASE_URL", "model": "SABUESO_LLM_MODEL",
        "api_key": "SABUESO_LLM_API_KEY", "timeout": "SABUESO_LLM_TIMEOUT",
        "tries": "SABUESO_LLM_TRIES", "backoff": "SABUESO_LLM_BACKOFF",
        "temperature": "SABUESO_LLM_TEMPERATURE", "json_mode": "SABUESO_LLM_JSON_MODE",
        "max_tokens": "SABUESO_LLM_MAX_TOKENS"}


class LLMNotConfigured(RuntimeError):
    """No endpoint/model configured; the message says exactly what to set."""

    def __init__(self, message: str = CONFIG_HELP):
        super().__init__(message)


class LLMError(RuntimeError):
    """The model could not be reached, or answered something unusable (after retries)."""


def config_path() -> Path:
    """``$SABUESO_CONFIG``, else ``$XDG_CONFIG_HOME/sabueso/config.toml`` (~/.config by default)."""
    if os.environ.get("SABUESO_CONFIG"):
        return Path(os.environ["SABUESO_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "sabueso" / "config.toml"


def _coerce(key: str, value: Any) -> Any:
    if key in ("timeout", "backoff", "temperature"):
        return float(value)
    if key in ("tries", "max_tokens"):
        return max(1, int(value))
    if key == "json_mode":
        return value if isinstance(value, bool) else str(value).lower() not in ("0", "false", "no", "off")
    return str(value).strip()


def llm_config() -> dict | None:
    """The LLM settings (environment over config file over defaults), or None if incomplete."""
    cfg: dict[str, Any] = dict(_DEFAULTS)
    path = config_path()
    if path.is_file():
        try:
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("llm") or {}
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise LLMNotConfigured(f"Cannot read {path}: {exc}. {CONFIG_HELP}") from exc
        cfg.update({k: v for k, v in section.items() if k in _ENV and v not in (None, "")})
    cfg.update({k: os.environ[v] for k, v in _ENV.items() if os.environ.get(v)})
    try:
        cfg = {k: _coerce(k, v) for k, v in cfg.items()}
    except (TypeError, ValueError) as exc:
        raise LLMNotConfigured(f"Invalid LLM setting: {exc}. {CONFIG_HELP}") from exc
    if not cfg.get("base_url") or not cfg.get("model"):
        return None
    return cfg


def parse_json(content: str | None, model: str) -> Any:
    """The JSON value in a reply (a ```json fence around it is tolerated)."""
    text = (content or "").strip()
    fence = re.fullmatch(r"```[a-zA-Z]*\s*(.*?)\s*```", text, flags=re.S)
    if fence:
        text = fence.group(1)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        snippet = text[:120].replace("\n", " ")
        raise LLMError(f"Model {model!r} returned malformed JSON ({exc.msg} at char {exc.pos}): "
                       f"{snippet!r}") from exc


class LLMClient:
    def __init__(self, cfg: dict):
        try:
            import openai
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise LLMError("The LLM extractor needs the 'openai' package: pip install 'openai>=1.0'") from exc
        self.openai = openai
        self.cfg = cfg
        self.client = openai.OpenAI(base_url=cfg["base_url"], api_key=cfg.get("api_key") or "sk-none",
                                    timeout=cfg["timeout"], max_retries=0)
        self.json_mode = bool(cfg.get("json_mode", True))
        self.dropped: set[str] = set()      # parameters this server rejected

    def _fallback(self, exc: Exception) -> bool:
        """Adapt to a server that rejects a parameter (400 naming it); True if worth a retry."""
        msg = str(exc)
        for param in ("response_format", "temperature", "max_tokens"):
            if param in msg and param not in self.dropped:
                self.dropped.add(param)
                return True
        return False

    def _retryable(self, exc: Exception) -> bool:
        o = self.openai
        if isinstance(exc, (o.APITimeoutError, o.APIConnectionError)):
            return True
        return isinstance(exc, o.APIStatusError) and (exc.status_code == 429 or exc.status_code >= 500)

    def _create(self, messages: list[dict]):
        kwargs: dict[str, Any] = {"model": self.cfg["model"], "messages": messages}
        if "temperature" not in self.dropped:
            kwargs["temperature"] = self.cfg["temperature"]
        # newer OpenAI models want max_completion_tokens; local servers know max_tokens
        kwargs["max_completion_tokens" if "max_tokens" in self.dropped else "max_tokens"] = self.cfg["max_tokens"]
        if self.json_mode and "response_format" not in self.dropped:
            kwargs["response_format"] = {"type": "json_object"}
        return self.client.chat.completions.create(**kwargs)

    def chat_json(self, messages: list[dict]) -> Any:
        """Send one chat request and return the parsed JSON of the reply."""
        tries, last = int(self.cfg["tries"]), None
        attempt = 0
        while attempt < tries:
            try:
                resp = self._create(messages)
                break
            except self.openai.BadRequestError as exc:
                if self._fallback(exc):             # e.g. no JSON mode: the prompt still asks for JSON
                    continue
                raise LLMError(f"LLM server at {self.cfg['base_url']} rejected the request: {exc}") from exc
            except self.openai.APIError as exc:
                if not self._retryable(exc):
                    raise LLMError(f"LLM request to {self.cfg['base_url']} failed: {exc}") from exc
                last, attempt = exc, attempt + 1
                if attempt < tries:
                    time.sleep(self.cfg["backoff"] * 2 ** (attempt - 1))
        else:
            kind = type(last).__name__ if last else "error"
            raise LLMError(f"LLM request to {self.cfg['base_url']} (model {self.cfg['model']!r}) "
                           f"failed after {tries} tries ({kind}: {last})")
        if not getattr(resp, "choices", None):
            raise LLMError(f"Model {self.cfg['model']!r} returned no choices")
        choice = resp.choices[0]
        if getattr(choice, "finish_reason", None) == "length":
            raise LLMError(f"Model {self.cfg['model']!r} stopped at max_tokens "
                           f"({self.cfg['max_tokens']}); the JSON is truncated. Raise SABUESO_LLM_MAX_TOKENS.")
        return parse_json(choice.message.content, self.cfg["model"])
