import signal

from generator.entry import _interrupted_early, run

signal.signal(signal.SIGINT, _interrupted_early)
run()
