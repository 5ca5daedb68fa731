package dev.keygate.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailSendersTest {

    @TempDir
    Path temp;

    @Test
    void createWithoutSmtpUrlThenOutbox() {
        Path outbox = temp.resolve("outbox");

        assertThat(MailSenders.create(Optional.empty(), outbox, MailSenders.DEFAULT_FROM))
                .isInstanceOfSatisfying(OutboxMailSender.class, sender -> assertThat(sender.directory()).isEqualTo(outbox));
    }

    @Test
    void createWithSmtpUrlThenSmtp() {
        URI url = URI.create("smtp://keygate:hunter2@mail.example.com:587");

        assertThat(MailSenders.create(Optional.of(url), temp, "Keygate <no-reply@example.com>"))
                .isInstanceOf(SmtpMailSender.class)
                .hasToString("SmtpMailSender[smtp://keygate:****@mail.example.com:587, from=Keygate <no-reply@example.com>]");
    }

    @Test
    void parseSmtpUrlDecodesUserAndPassword() {
        URI url = MailSenders.parseSmtpUrl(" smtps://ke%40ygate:p%3Ass%2Bw%C3%B6rd+x@mail.example.com ");

        SmtpUrl parsed = SmtpUrl.parse(url);
        assertThat(parsed.protocol()).isEqualTo("smtps");
        assertThat(parsed.host()).isEqualTo("mail.example.com");
        assertThat(parsed.port()).isEqualTo(465);
        assertThat(parsed.user()).isEqualTo("ke@ygate");
        assertThat(parsed.password()).isEqualTo("p:ss+wörd+x");
        assertThat(parsed).hasToString("smtps://ke@ygate:****@mail.example.com:465");
    }

    @Test
    void parseSmtpUrlWithoutCredentialsThenPlainSmtpOnPort25() {
        SmtpUrl parsed = SmtpUrl.parse(MailSenders.parseSmtpUrl("SMTP://localhost"));

        assertThat(parsed.protocol()).isEqualTo("smtp");
        assertThat(parsed.port()).isEqualTo(25);
        assertThat(parsed.hasCredentials()).isFalse();
        assertThat(parsed).hasToString("smtp://localhost:25");
    }

    @Test
    void parseSmtpUrlWhenInvalidThenMessageWithoutPassword() {
        for (String value : new String[] {
                "smtp://keygate:hunter2 with spaces@mail.example.com",
                "smtp://keygate:hunter2@mail.example.com:port",
                "smtp://keygate:hunter2%zz@mail.example.com",
                "smtp://keygate:hunter2@",
                "smtp://keygate:hunter2@host@mail.example.com",
                "redis://keygate:hunter2@mail.example.com"}) {
            assertThatThrownBy(() -> MailSenders.parseSmtpUrl(value), value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("SMTP URL must look like")
                    .hasMessageNotContaining("hunter2");
        }
    }
}
