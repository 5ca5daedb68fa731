package dev.keygate.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.Http1ServerConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.http1.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;

/**
 * Refuses a header folded over several lines (SPEC section 3; RFC 9112 section 5.2 lets a server
 * either refuse it or unfold it). Netty unfolds it, joining the lines with a space, after which
 * no handler can tell; so each connection's request decoder is replaced by one that watches the
 * header lines as they are decoded and marks a request with a line starting with a space or a
 * tab as failed. The invalid-request handler ({@link Problems#invalidRequestHandler}) answers it
 * with {@code 400 invalid_request} and closes the connection.
 *
 * <p>{@code vertx.createHttpServer(options).connectionHandler(FoldedHeaders::refuse)}
 */
public final class FoldedHeaders {

    /** The name Vert.x gives its HTTP/1.x request decoder in a connection's pipeline. */
    private static final String DECODER = "httpDecoder";

    /** Why a request was refused: a folded header line. Carries no stack trace: it is an answer, not a fault. */
    public static final class FoldedHeaderException extends DecoderException {
        private static final long serialVersionUID = 1L;

        FoldedHeaderException() {
            super("obsolete line folding");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private FoldedHeaders() {}

    /** Puts the folding-refusing decoder on an HTTP/1.x {@code connection}, before it has read a request. */
    public static void refuse(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channel().pipeline();
            if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
                pipeline.replace(DECODER, DECODER, new Decoder(new Http1ServerConfig()
                        .setMaxInitialLineLength(HttpLimits.MAX_INITIAL_LINE)
                        .setMaxHeaderSize(HttpLimits.MAX_HEADER_SIZE)));
            }
        }
    }

    /**
     * Vert.x's decoder, also reading the bytes it consumed while in a request's head: from the
     * request line to the empty line that ends the headers. After the head, the body's bytes are
     * not looked at (a JSON body may well hold a newline and a space) until the request's last
     * content has been decoded.
     */
    private static final class Decoder extends VertxHttpRequestDecoder {

        private boolean inHead = true;
        /** Non-empty lines of this head so far: the request line, then header lines. */
        private int lines;
        private boolean atLineStart = true;
        private boolean folded;

        Decoder(Http1ServerConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            int from = in.readerIndex();
            int decoded = out.size();
            super.decode(ctx, in, out);
            if (inHead) {
                scan(in, from, in.readerIndex());
            }
            for (int i = decoded; i < out.size(); i++) {
                Object message = out.get(i);
                if (message instanceof HttpMessage head && folded) {
                    head.setDecoderResult(DecoderResult.failure(new FoldedHeaderException()));
                    folded = false;
                }
                if (message instanceof LastHttpContent) {
                    inHead = true;
                    lines = 0;
                    atLineStart = true;
                }
            }
        }

        private void scan(ByteBuf in, int from, int to) {
            for (int i = from; i < to && inHead; i++) {
                byte b = in.getByte(i);
                if (b == '\n') {
                    if (atLineStart && lines > 0) {
                        inHead = false;
                    } else if (!atLineStart) {
                        lines++;
                    }
                    atLineStart = true;
                } else if (b != '\r') {
                    // Before the request line, Netty skips blank lines and spaces itself.
                    if (atLineStart && lines > 0 && (b == ' ' || b == '\t')) {
                        folded = true;
                    }
                    atLineStart = false;
                }
            }
        }
    }
}
