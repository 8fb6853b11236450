package dev.frontdesk.sms.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder to {@code 127.0.0.1:targetPort} that a test can {@link #cut()} (every open connection
 * closed, new ones refused) and {@link #restore()} on the same port: a database or a server "going away"
 * without touching the real one, which other tests share.
 */
final class TcpProxy implements AutoCloseable {
    final int port;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private volatile long accepted;

    TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        this.port = AppProcess.freePort();
        restore();
    }

    long accepted() {
        return accepted;
    }

    /** Listens again on the same port. */
    synchronized void restore() {
        if (server != null && !server.isClosed()) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread t = new Thread(() -> acceptLoop(s), "proxy-accept-" + port);
            t.setDaemon(true);
            t.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the listener and every connection: connects are refused, reads and writes fail. */
    synchronized void cut() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                accepted++;
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // listener closed by cut()
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
