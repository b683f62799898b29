"""A real SMTP server for tests (aiosmtpd): stores each message as N.eml in a directory and
refuses the first REFUSE deliveries with 451. Prints "ready" when listening; stops when its
standard input closes. Usage: smtp_server.py PORT DIRECTORY REFUSE"""
import os
import sys

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, directory, refuse):
        self.directory = directory
        self.refuse = refuse
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts <= self.refuse:
            return "451 4.3.0 Try again later"
        name = os.path.join(self.directory, "%d.eml" % self.attempts)
        with open(name, "wb") as handle:
            handle.write(envelope.original_content)
        with open(name + ".rcpt", "w") as handle:
            handle.write(" ".join(envelope.rcpt_tos) + "\n" + envelope.mail_from)
        return "250 OK"


port, directory, refuse = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
controller = Controller(Handler(directory, refuse), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
