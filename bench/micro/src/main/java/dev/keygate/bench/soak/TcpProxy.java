package dev.keygate.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay from a loopback port to a target, for {@code bench/soak/run}: the nodes reach
 * PostgreSQL and Redis through one each, and the script cuts a backend by stopping the relay's
 * process ({@code kill -STOP}: every connection goes silent, as in a partition) and brings it back
 * with {@code kill -CONT}. The idea of {@code TcpProxy} in keygate-server's tests, as a process.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.keygate.bench.soak.TcpProxy 15432 127.0.0.1:5432
 * }</pre>
 */
public final class TcpProxy {

    private TcpProxy() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TcpProxy LISTEN_PORT TARGET_HOST:PORT");
            System.exit(2);
        }
        int listen = Integer.parseInt(args[0]);
        String host = args[1].substring(0, args[1].lastIndexOf(':'));
        int port = Integer.parseInt(args[1].substring(args[1].lastIndexOf(':') + 1));
        try (ServerSocket server = new ServerSocket(listen, 512, InetAddress.getLoopbackAddress())) {
            while (true) {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> relay(client, host, port));
            }
        }
    }

    private static void relay(Socket client, String host, int port) {
        try (client; Socket target = new Socket(host, port)) {
            client.setTcpNoDelay(true);
            target.setTcpNoDelay(true);
            Thread back = Thread.ofVirtual().start(() -> copy(target, client));
            copy(client, target);
            back.join();
        } catch (IOException | InterruptedException e) {
            // The other side went away: the relay ends with it.
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // Either side closed: close both so that neither waits for the other.
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }
}
