"""Progress for long management commands: a bar on a terminal, plain lines in logs."""

from __future__ import annotations

from io import TextIOBase
from typing import TextIO


class Progress:
    """Counts work done; redraws one line on a terminal, prints a line per step otherwise."""

    def __init__(
        self,
        total: int,
        stream: TextIO | TextIOBase,
        label: str = "进度",
        every: int = 1,
    ) -> None:
        self.total = max(total, 1)
        self.every = max(every, 1)
        self.done = 0
        self.stream = stream
        self.label = label
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def step(self, message: str = "") -> None:
        self.done += 1
        if self.done % self.every and self.done < self.total:
            return
        if self.tty:
            filled = int(30 * self.done / self.total)
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(
                f"\r{self.label} [{bar}] {self.done}/{self.total} {message[:40]:<40}"
            )
            if self.done >= self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {message}\n")
        self.stream.flush()
