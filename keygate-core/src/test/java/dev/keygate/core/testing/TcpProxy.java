package dev.keygate.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a real server (PostgreSQL, Redis), for fault tests:
 * {@link #blackHole()} keeps connections open but forwards nothing (a partition),
 * {@link #cutOff()} closes every connection and refuses new ones (the server stopped), and
 * {@link #restore()} forwards again.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Guards {@link #blackHole}; pipes wait on it while the proxy is a black hole. */
    private final Object gate = new Object();
    private boolean blackHole;
    private volatile boolean cutOff;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Stops forwarding in both directions; connections stay open and silent. */
    public void blackHole() {
        synchronized (gate) {
            blackHole = true;
        }
    }

    /** Closes every connection and refuses new ones, as a stopped server would. */
    public void cutOff() throws IOException {
        cutOff = true;
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** Forwards again. */
    public void restore() {
        cutOff = false;
        openGate();
    }

    private void openGate() {
        synchronized (gate) {
            blackHole = false;
            gate.notifyAll();
        }
    }

    private void waitWhileBlackHole() throws InterruptedException {
        synchronized (gate) {
            while (blackHole) {
                gate.wait();
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cutOff) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pipe(client, upstream));
                Thread.ofVirtual().start(() -> pipe(upstream, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                waitWhileBlackHole();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        cutOff = true;
        server.close();
        openGate(); // pipes held by a black hole end on their closed sockets
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
