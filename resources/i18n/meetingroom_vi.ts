<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Written by scripts/update_translations.py from the texts.py catalogues: edit those. -->
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>MeetingRoom</name>
    <message>
        <source>Agenda</source>
        <comment>agenda</comment>
        <translation>Chương trình họp</translation>
    </message>
    <message>
        <source>Item</source>
        <comment>agenda_title</comment>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Paperless meeting room</source>
        <comment>app_title</comment>
        <translation>Phòng họp không giấy</translation>
    </message>
    <message>
        <source>← Meeting list</source>
        <comment>back</comment>
        <translation>← Danh sách cuộc họp</translation>
    </message>
    <message>
        <source>classified: {level}</source>
        <comment>badge_confidential</comment>
        <translation>bảo mật: {level}</translation>
    </message>
    <message>
        <source>not downloaded</source>
        <comment>badge_missing</comment>
        <translation>chưa tải về</translation>
    </message>
    <message>
        <source>new version</source>
        <comment>badge_new_version</comment>
        <translation>phiên bản mới</translation>
    </message>
    <message>
        <source>no file yet</source>
        <comment>badge_no_version</comment>
        <translation>chưa có tệp</translation>
    </message>
    <message>
        <source>✓ offline</source>
        <comment>badge_offline</comment>
        <translation>✓ ngoại tuyến</translation>
    </message>
    <message>
        <source>Confidential</source>
        <comment>classification_confidential</comment>
        <translation>Mật</translation>
    </message>
    <message>
        <source>Normal</source>
        <comment>classification_normal</comment>
        <translation>Thường</translation>
    </message>
    <message>
        <source>Secret</source>
        <comment>classification_secret</comment>
        <translation>Tối mật</translation>
    </message>
    <message>
        <source>Top secret</source>
        <comment>classification_top_secret</comment>
        <translation>Tuyệt mật</translation>
    </message>
    <message>
        <source>Close</source>
        <comment>close</comment>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Field</source>
        <comment>conflict_field</comment>
        <translation>Trường</translation>
    </message>
    <message>
        <source>Value on this computer</source>
        <comment>conflict_local</comment>
        <translation>Giá trị trên máy này</translation>
    </message>
    <message>
        <source>Value on the server</source>
        <comment>conflict_server</comment>
        <translation>Giá trị trên máy chủ</translation>
    </message>
    <message>
        <source>Item</source>
        <comment>conflict_what</comment>
        <translation>Mục</translation>
    </message>
    <message>
        <source>Conflicts: {count}</source>
        <comment>conflicts</comment>
        <translation>Xung đột: {count}</translation>
    </message>
    <message>
        <source>These local changes clashed with the server's. The server's version is in use; yours is kept here.</source>
        <comment>conflicts_intro</comment>
        <translation>Các thay đổi trên máy này không khớp với bản trên máy chủ. Bản của máy chủ đang được dùng; bản của bạn được giữ lại ở đây.</translation>
    </message>
    <message>
        <source>Sync conflicts</source>
        <comment>conflicts_title</comment>
        <translation>Xung đột đồng bộ</translation>
    </message>
    <message>
        <source>This profile's key is no longer in the system keyring; its data cannot be unlocked on this computer. Sign in again to download the meeting packs.</source>
        <comment>device_secret_missing</comment>
        <translation>Khóa của hồ sơ này không còn trong kho khóa của hệ thống; không thể mở khóa dữ liệu trên máy này. Hãy đăng nhập lại để tải tài liệu họp.</translation>
    </message>
    <message>
        <source>Meeting documents</source>
        <comment>documents</comment>
        <translation>Tài liệu họp</translation>
    </message>
    <message>
        <source>All meeting documents</source>
        <comment>documents_all</comment>
        <translation>Tất cả tài liệu họp</translation>
    </message>
    <message>
        <source>Documents: {item}</source>
        <comment>documents_of_item</comment>
        <translation>Tài liệu: {item}</translation>
    </message>
    <message>
        <source>Downloading documents: {percent}%</source>
        <comment>download_progress</comment>
        <translation>Đang tải tài liệu: {percent}%</translation>
    </message>
    <message>
        <source>You need to sign in again.</source>
        <comment>err_auth</comment>
        <translation>Cần đăng nhập lại.</translation>
    </message>
    <message>
        <source>This device has been revoked. Ask IT to re-enable it.</source>
        <comment>err_device_revoked</comment>
        <translation>Máy này đã bị thu hồi quyền truy cập. Hãy liên hệ bộ phận CNTT.</translation>
    </message>
    <message>
        <source>The profile on this computer belongs to another account.</source>
        <comment>err_other_user</comment>
        <translation>Hồ sơ trên máy này thuộc về tài khoản khác.</translation>
    </message>
    <message>
        <source>The server refused the request ({code}).</source>
        <comment>err_server</comment>
        <translation>Máy chủ từ chối yêu cầu ({code}).</translation>
    </message>
    <message>
        <source>Too many failed sign-ins. Try again in a few minutes.</source>
        <comment>err_throttled</comment>
        <translation>Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút.</translation>
    </message>
    <message>
        <source>No secure connection: the server's TLS certificate is invalid or does not match its pin. Ask IT.</source>
        <comment>err_tls</comment>
        <translation>Không thể kết nối an toàn: chứng chỉ bảo mật (TLS) của máy chủ không hợp lệ hoặc không khớp. Hãy liên hệ bộ phận CNTT.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the server address and the network.</source>
        <comment>err_unreachable</comment>
        <translation>Không kết nối được máy chủ. Hãy kiểm tra địa chỉ máy chủ và kết nối mạng.</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <comment>err_wrong_password</comment>
        <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>Error</source>
        <comment>error_title</comment>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>Find a person…</source>
        <comment>find_person</comment>
        <translation>Tìm đại biểu…</translation>
    </message>
    <message>
        <source>Keep the server's version</source>
        <comment>keep_server</comment>
        <translation>Giữ bản của máy chủ</translation>
    </message>
    <message>
        <source>This computer has no secure keyring to protect the meeting data. You can protect it with a passphrase only (at least 12 characters).</source>
        <comment>keyring_unavailable</comment>
        <translation>Máy này không có kho khóa an toàn để bảo vệ dữ liệu cuộc họp. Có thể chọn bảo vệ chỉ bằng cụm mật khẩu (ít nhất 12 ký tự).</translation>
    </message>
    <message>
        <source>Last synced: {when}</source>
        <comment>last_sync</comment>
        <translation>Đồng bộ lần cuối: {when}</translation>
    </message>
    <message>
        <source>Last synced: never</source>
        <comment>last_sync_never</comment>
        <translation>Đồng bộ lần cuối: chưa bao giờ</translation>
    </message>
    <message>
        <source>Lock</source>
        <comment>lock</comment>
        <translation>Khóa</translation>
    </message>
    <message>
        <source>Locked</source>
        <comment>locked_title</comment>
        <translation>Đã khóa</translation>
    </message>
    <message>
        <source>Meetings</source>
        <comment>meetings</comment>
        <translation>Cuộc họp</translation>
    </message>
    <message>
        <source>Duration</source>
        <comment>minutes</comment>
        <translation>Thời lượng</translation>
    </message>
    <message>
        <source>{n} min</source>
        <comment>minutes_value</comment>
        <translation>{n} phút</translation>
    </message>
    <message>
        <source>New meeting</source>
        <comment>new_meeting</comment>
        <translation>Tạo cuộc họp mới</translation>
    </message>
    <message>
        <source>No conflicts.</source>
        <comment>no_conflicts</comment>
        <translation>Không có xung đột.</translation>
    </message>
    <message>
        <source>No documents.</source>
        <comment>no_documents</comment>
        <translation>Không có tài liệu.</translation>
    </message>
    <message>
        <source>No meetings.</source>
        <comment>no_meetings</comment>
        <translation>Không có cuộc họp nào.</translation>
    </message>
    <message>
        <source>no place</source>
        <comment>no_place</comment>
        <translation>chưa có địa điểm</translation>
    </message>
    <message>
        <source>No room plan yet.</source>
        <comment>no_room</comment>
        <translation>Chưa có sơ đồ phòng họp.</translation>
    </message>
    <message>
        <source>You have no seat assigned.</source>
        <comment>no_seat</comment>
        <translation>Bạn chưa được xếp chỗ ngồi.</translation>
    </message>
    <message>
        <source>Personal notes</source>
        <comment>notes</comment>
        <translation>Ghi chú cá nhân</translation>
    </message>
    <message>
        <source>Your private notes for this meeting (saved automatically)…</source>
        <comment>notes_placeholder</comment>
        <translation>Ghi chú riêng của bạn cho cuộc họp này (tự động lưu)…</translation>
    </message>
    <message>
        <source>Saved</source>
        <comment>notes_saved</comment>
        <translation>Đã lưu</translation>
    </message>
    <message>
        <source>Saving…</source>
        <comment>notes_saving</comment>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Ngoại tuyến / Offline — not connected to a server</source>
        <comment>offline</comment>
        <translation>Ngoại tuyến / Offline — chưa kết nối máy chủ</translation>
    </message>
    <message>
        <source>Offline</source>
        <comment>offline_short</comment>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>Online</source>
        <comment>online</comment>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>no documents</source>
        <comment>pack_empty</comment>
        <translation>chưa có tài liệu</translation>
    </message>
    <message>
        <source>✓ available offline</source>
        <comment>pack_offline</comment>
        <translation>✓ có sẵn ngoại tuyến</translation>
    </message>
    <message>
        <source>documents not downloaded ({missing}/{total})</source>
        <comment>pack_partial</comment>
        <translation>tài liệu chưa tải về ({missing}/{total})</translation>
    </message>
    <message>
        <source>Participants</source>
        <comment>participants</comment>
        <translation>Thành phần tham dự</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <comment>passphrase</comment>
        <translation>Cụm mật khẩu</translation>
    </message>
    <message>
        <source>Confirm passphrase</source>
        <comment>passphrase_confirm</comment>
        <translation>Nhập lại cụm mật khẩu</translation>
    </message>
    <message>
        <source>The two passphrases do not match.</source>
        <comment>passphrase_mismatch</comment>
        <translation>Hai cụm mật khẩu không khớp.</translation>
    </message>
    <message>
        <source>The passphrase must be at least 12 characters long.</source>
        <comment>passphrase_too_short</comment>
        <translation>Cụm mật khẩu phải có ít nhất 12 ký tự.</translation>
    </message>
    <message>
        <source>Password</source>
        <comment>password</comment>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Pending changes: {count}</source>
        <comment>pending</comment>
        <translation>Thay đổi chờ đồng bộ: {count}</translation>
    </message>
    <message>
        <source>Not found.</source>
        <comment>person_not_found</comment>
        <translation>Không tìm thấy.</translation>
    </message>
    <message>
        <source>PIN</source>
        <comment>pin</comment>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <source>Confirm PIN</source>
        <comment>pin_confirm</comment>
        <translation>Nhập lại mã PIN</translation>
    </message>
    <message>
        <source>The PIN may contain digits only.</source>
        <comment>pin_digits</comment>
        <translation>Mã PIN chỉ gồm chữ số.</translation>
    </message>
    <message>
        <source>The two PINs do not match.</source>
        <comment>pin_mismatch</comment>
        <translation>Hai mã PIN không khớp.</translation>
    </message>
    <message>
        <source>This profile is protected by a PIN. Enter the PIN.</source>
        <comment>pin_required</comment>
        <translation>Hồ sơ này được bảo vệ bằng mã PIN. Hãy nhập mã PIN.</translation>
    </message>
    <message>
        <source>The PIN must have at least 4 digits.</source>
        <comment>pin_too_short</comment>
        <translation>Mã PIN phải có ít nhất 4 chữ số.</translation>
    </message>
    <message>
        <source>Your organisation does not allow you to {action} documents classified {level}.</source>
        <comment>policy_action_refused</comment>
        <translation>Quy định của đơn vị không cho phép {action} tài liệu ở mức {level}.</translation>
    </message>
    <message>
        <source>After {limit} wrong attempts in a row the meeting data on this computer is wiped.</source>
        <comment>policy_attempts_before_wipe</comment>
        <translation>Nhập sai {limit} lần liên tiếp thì dữ liệu cuộc họp trên máy này sẽ bị xóa.</translation>
    </message>
    <message>
        <source>MeetingRoom did not start because the deployment policy file (policy.toml) is broken. Tell IT.</source>
        <comment>policy_error_intro</comment>
        <translation>MeetingRoom không khởi động vì tệp quy định triển khai (policy.toml) bị lỗi. Hãy báo cho bộ phận CNTT.</translation>
    </message>
    <message>
        <source>The deployment policy file is not valid</source>
        <comment>policy_error_title</comment>
        <translation>Tệp quy định triển khai không hợp lệ</translation>
    </message>
    <message>
        <source>This classified document cannot be opened: this computer has not synced with the server for more than {hours} hours (the limit IT set for classified documents). Connect to the network and sync, then open it again.</source>
        <comment>policy_lease_expired</comment>
        <translation>Tài liệu mật này không mở được: máy này đã quá {hours} giờ chưa đồng bộ với máy chủ (giới hạn do bộ phận CNTT quy định cho tài liệu mật). Hãy kết nối mạng và đồng bộ, rồi mở lại.</translation>
    </message>
    <message>
        <source>The passphrase must be at least {n} characters long.</source>
        <comment>policy_passphrase_too_short</comment>
        <translation>Cụm mật khẩu phải có ít nhất {n} ký tự.</translation>
    </message>
    <message>
        <source>The PIN must have at least {n} digits.</source>
        <comment>policy_pin_too_short</comment>
        <translation>Mã PIN phải có ít nhất {n} chữ số.</translation>
    </message>
    <message>
        <source>The PIN was entered wrongly {limit} times, so the meeting data on this computer was wiped as your organisation requires. Sign in again to download the meeting documents afresh.</source>
        <comment>policy_pins_wiped</comment>
        <translation>Mã PIN đã bị nhập sai {limit} lần nên dữ liệu cuộc họp trên máy này đã bị xóa theo quy định của đơn vị. Hãy đăng nhập lại để tải lại tài liệu họp.</translation>
    </message>
    <message>
        <source>The server address is set by IT and cannot be changed.</source>
        <comment>policy_server_locked</comment>
        <translation>Địa chỉ máy chủ do bộ phận CNTT quy định, không thể thay đổi.</translation>
    </message>
    <message>
        <source>Meeting data is encrypted on this computer. A PIN protects it while the computer is unlocked.</source>
        <comment>policy_setup_intro</comment>
        <translation>Dữ liệu cuộc họp được mã hóa trên máy này. Mã PIN bảo vệ dữ liệu khi máy bị mở khóa.</translation>
    </message>
    <message>
        <source>Your organisation requires a PIN to have at least {n} digits.</source>
        <comment>policy_setup_min</comment>
        <translation>Theo quy định của đơn vị, mã PIN phải có ít nhất {n} chữ số.</translation>
    </message>
    <message>
        <source>Your organisation requires a PIN of at least {n} digits.</source>
        <comment>policy_setup_required</comment>
        <translation>Theo quy định của đơn vị, bắt buộc đặt mã PIN có ít nhất {n} chữ số.</translation>
    </message>
    <message>
        <source>Add to meeting →</source>
        <comment>prep_add_participants</comment>
        <translation>Thêm vào cuộc họp →</translation>
    </message>
    <message>
        <source>Add item</source>
        <comment>prep_agenda_add</comment>
        <translation>Thêm nội dung</translation>
    </message>
    <message>
        <source>Add sub-item</source>
        <comment>prep_agenda_add_sub</comment>
        <translation>Thêm nội dung con</translation>
    </message>
    <message>
        <source>Planned (min)</source>
        <comment>prep_agenda_col_minutes</comment>
        <translation>Thời lượng (phút)</translation>
    </message>
    <message>
        <source>Presenter</source>
        <comment>prep_agenda_col_presenter</comment>
        <translation>Người trình bày</translation>
    </message>
    <message>
        <source>Item</source>
        <comment>prep_agenda_col_title</comment>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Remove “{title}” and its sub-items? Its documents stay, at the meeting level.</source>
        <comment>prep_agenda_confirm_remove</comment>
        <translation>Xóa nội dung “{title}” cùng các nội dung con? Tài liệu của nó được giữ lại ở mục chung của cuộc họp.</translation>
    </message>
    <message>
        <source>Down</source>
        <comment>prep_agenda_down</comment>
        <translation>Xuống</translation>
    </message>
    <message>
        <source>Nest</source>
        <comment>prep_agenda_indent</comment>
        <translation>Lùi vào</translation>
    </message>
    <message>
        <source>Drag and drop to reorder. Keys: Ctrl+Up/Down move, Tab/Shift+Tab nest/unnest, F2 edit, Del remove, Insert add, Ctrl+Tab leave the list.</source>
        <comment>prep_agenda_keys</comment>
        <translation>Kéo thả để sắp xếp. Phím: Ctrl+↑/↓ di chuyển, Tab/Shift+Tab lùi vào/ra, F2 sửa, Del xóa, Insert thêm, Ctrl+Tab rời danh sách.</translation>
    </message>
    <message>
        <source>New item</source>
        <comment>prep_agenda_new_item</comment>
        <translation>Nội dung mới</translation>
    </message>
    <message>
        <source>Unnest</source>
        <comment>prep_agenda_outdent</comment>
        <translation>Lùi ra</translation>
    </message>
    <message>
        <source>Remove</source>
        <comment>prep_agenda_remove</comment>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Sum of the sub-items (when this item has no time of its own)</source>
        <comment>prep_agenda_sum_tip</comment>
        <translation>Tổng thời lượng các nội dung con (khi nội dung này không tự đặt thời lượng)</translation>
    </message>
    <message>
        <source>Total planned time: {n} min ({h} h {m} min)</source>
        <comment>prep_agenda_total</comment>
        <translation>Tổng thời lượng dự kiến: {n} phút ({h} giờ {m} phút)</translation>
    </message>
    <message>
        <source>Agenda</source>
        <comment>prep_agenda_tree</comment>
        <translation>Chương trình họp</translation>
    </message>
    <message>
        <source>Up</source>
        <comment>prep_agenda_up</comment>
        <translation>Lên</translation>
    </message>
    <message>
        <source>← Back</source>
        <comment>prep_back</comment>
        <translation>← Quay lại</translation>
    </message>
    <message>
        <source>Close meeting</source>
        <comment>prep_close_meeting</comment>
        <translation>Kết thúc cuộc họp</translation>
    </message>
    <message>
        <source>Clearance</source>
        <comment>prep_col_clearance</comment>
        <translation>Độ mật được xem</translation>
    </message>
    <message>
        <source>Name</source>
        <comment>prep_col_name</comment>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <comment>prep_col_role</comment>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Confirm</source>
        <comment>prep_confirm_title</comment>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>{n} change(s) clashed with another edit of the same field on the server. Review them and decide.</source>
        <comment>prep_conflicts</comment>
        <translation>{n} thay đổi trùng với thay đổi khác trên máy chủ (cùng một mục). Hãy xem và quyết định.</translation>
    </message>
    <message>
        <source>Review conflicts…</source>
        <comment>prep_conflicts_review</comment>
        <translation>Xem xung đột…</translation>
    </message>
    <message>
        <source>User directory</source>
        <comment>prep_directory</comment>
        <translation>Danh bạ người dùng</translation>
    </message>
    <message>
        <source>The directory has not been downloaded yet. Sync when a network is there.</source>
        <comment>prep_directory_empty</comment>
        <translation>Danh bạ chưa được tải về. Hãy đồng bộ khi có mạng.</translation>
    </message>
    <message>
        <source>Filter by name…</source>
        <comment>prep_directory_filter</comment>
        <translation>Lọc theo tên…</translation>
    </message>
    <message>
        <source>Add PDF files…</source>
        <comment>prep_docs_add</comment>
        <translation>Thêm tệp PDF…</translation>
    </message>
    <message>
        <source>Attached {name}.</source>
        <comment>prep_docs_attached</comment>
        <translation>Đã đính kèm {name}.</translation>
    </message>
    <message>
        <source>Checking and storing {name}</source>
        <comment>prep_docs_checking</comment>
        <translation>Đang kiểm tra và lưu {name}</translation>
    </message>
    <message>
        <source>Classification</source>
        <comment>prep_docs_col_class</comment>
        <translation>Độ mật</translation>
    </message>
    <message>
        <source>Agenda item</source>
        <comment>prep_docs_col_item</comment>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Pages</source>
        <comment>prep_docs_col_pages</comment>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Document</source>
        <comment>prep_docs_col_title</comment>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <source>Upload</source>
        <comment>prep_docs_col_upload</comment>
        <translation>Tải lên</translation>
    </message>
    <message>
        <source>Version</source>
        <comment>prep_docs_col_version</comment>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <source>Remove the document “{title}” and all its versions from the meeting?</source>
        <comment>prep_docs_confirm_remove</comment>
        <translation>Xóa tài liệu “{title}” và mọi phiên bản của nó khỏi cuộc họp?</translation>
    </message>
    <message>
        <source>Drop PDF files on the list to attach them. At most {mb} MB each, without a password.</source>
        <comment>prep_docs_hint</comment>
        <translation>Kéo thả tệp PDF vào danh sách để đính kèm. Mỗi tệp tối đa {mb} MB, không đặt mật khẩu.</translation>
    </message>
    <message>
        <source>Meeting documents</source>
        <comment>prep_docs_list</comment>
        <translation>Danh sách tài liệu họp</translation>
    </message>
    <message>
        <source>File check results</source>
        <comment>prep_docs_messages</comment>
        <translation>Kết quả kiểm tra tệp</translation>
    </message>
    <message>
        <source>New version…</source>
        <comment>prep_docs_new_version</comment>
        <translation>Phiên bản mới…</translation>
    </message>
    <message>
        <source>Attached {name} as a new version (version {n}).</source>
        <comment>prep_docs_new_version_done</comment>
        <translation>Đã đính kèm {name} làm phiên bản mới (phiên bản {n}).</translation>
    </message>
    <message>
        <source>no file</source>
        <comment>prep_docs_no_file</comment>
        <translation>chưa có tệp</translation>
    </message>
    <message>
        <source>Remove document</source>
        <comment>prep_docs_remove</comment>
        <translation>Xóa tài liệu</translation>
    </message>
    <message>
        <source>Attach to</source>
        <comment>prep_docs_target</comment>
        <translation>Gắn vào</translation>
    </message>
    <message>
        <source>uploaded</source>
        <comment>prep_docs_uploaded</comment>
        <translation>đã tải lên</translation>
    </message>
    <message>
        <source>version {n}</source>
        <comment>prep_docs_version</comment>
        <translation>phiên bản {n}</translation>
    </message>
    <message>
        <source>waiting to upload</source>
        <comment>prep_docs_waiting</comment>
        <translation>chờ tải lên</translation>
    </message>
    <message>
        <source>(Whole meeting)</source>
        <comment>prep_docs_whole_meeting</comment>
        <translation>(Chung cho cuộc họp)</translation>
    </message>
    <message>
        <source>An item cannot be moved under itself or one of its sub-items.</source>
        <comment>prep_err_agenda_move</comment>
        <translation>Không thể đưa một nội dung vào trong chính nó hoặc nội dung con của nó.</translation>
    </message>
    <message>
        <source>{name}: the PDF is damaged and cannot be read.</source>
        <comment>prep_err_corrupt</comment>
        <translation>{name}: tệp PDF bị hỏng, không đọc được.</translation>
    </message>
    <message>
        <source>{name}: this file is already attached (document “{title}”); not stored twice.</source>
        <comment>prep_err_duplicate</comment>
        <translation>{name}: tệp này đã được đính kèm (tài liệu “{title}”), không lưu lại lần nữa.</translation>
    </message>
    <message>
        <source>The title is empty.</source>
        <comment>prep_err_empty_title</comment>
        <translation>Chưa nhập tên.</translation>
    </message>
    <message>
        <source>Not saved: {reason}.</source>
        <comment>prep_err_invalid</comment>
        <translation>Không lưu được: {reason}.</translation>
    </message>
    <message>
        <source>{name}: this is not a PDF file.</source>
        <comment>prep_err_not_pdf</comment>
        <translation>{name}: không phải tệp PDF.</translation>
    </message>
    <message>
        <source>{name}: the PDF is password-protected. Attach a copy without a password.</source>
        <comment>prep_err_password</comment>
        <translation>{name}: tệp PDF có mật khẩu. Hãy đính kèm bản không đặt mật khẩu.</translation>
    </message>
    <message>
        <source>The meeting cannot go from “{current}” to “{wanted}”.</source>
        <comment>prep_err_status</comment>
        <translation>Không thể chuyển cuộc họp từ “{current}” sang “{wanted}”.</translation>
    </message>
    <message>
        <source>The meeting must end after it starts.</source>
        <comment>prep_err_times</comment>
        <translation>Giờ kết thúc phải sau giờ bắt đầu.</translation>
    </message>
    <message>
        <source>{name}: the file is too large ({size} MB, at most {limit} MB).</source>
        <comment>prep_err_too_large</comment>
        <translation>{name}: tệp quá lớn ({size} MB, tối đa {limit} MB).</translation>
    </message>
    <message>
        <source>{name}: the file cannot be read.</source>
        <comment>prep_err_unreadable</comment>
        <translation>{name}: không đọc được tệp.</translation>
    </message>
    <message>
        <source>Classification</source>
        <comment>prep_field_classification</comment>
        <translation>Độ mật</translation>
    </message>
    <message>
        <source>Description</source>
        <comment>prep_field_description</comment>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Ends</source>
        <comment>prep_field_ends</comment>
        <translation>Kết thúc</translation>
    </message>
    <message>
        <source>Room</source>
        <comment>prep_field_location</comment>
        <translation>Phòng họp</translation>
    </message>
    <message>
        <source>Starts</source>
        <comment>prep_field_starts</comment>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <source>Title</source>
        <comment>prep_field_title</comment>
        <translation>Tên cuộc họp</translation>
    </message>
    <message>
        <source>Meeting details</source>
        <comment>prep_meeting_details</comment>
        <translation>Thông tin cuộc họp</translation>
    </message>
    <message>
        <source>{n} min</source>
        <comment>prep_minutes</comment>
        <translation>{n} phút</translation>
    </message>
    <message>
        <source>New meeting</source>
        <comment>prep_new_meeting</comment>
        <translation>Cuộc họp mới</translation>
    </message>
    <message>
        <source>Participants</source>
        <comment>prep_participants</comment>
        <translation>Thành phần tham dự</translation>
    </message>
    <message>
        <source>Agenda ({n})</source>
        <comment>prep_preview_agenda</comment>
        <translation>Chương trình họp ({n})</translation>
    </message>
    <message>
        <source>Visible content</source>
        <comment>prep_preview_col</comment>
        <translation>Nội dung hiển thị</translation>
    </message>
    <message>
        <source>Documents they can open ({n})</source>
        <comment>prep_preview_documents</comment>
        <translation>Tài liệu được xem ({n})</translation>
    </message>
    <message>
        <source>Documents hidden by classification ({n})</source>
        <comment>prep_preview_hidden</comment>
        <translation>Tài liệu không được xem do độ mật ({n})</translation>
    </message>
    <message>
        <source>{who} may open documents up to: {level}. Read-only.</source>
        <comment>prep_preview_intro</comment>
        <translation>{who} được xem tài liệu đến độ mật: {level}. Chỉ xem, không sửa được.</translation>
    </message>
    <message>
        <source>A secretary account: sees the whole meeting.</source>
        <comment>prep_preview_manager</comment>
        <translation>Tài khoản thư ký: xem được toàn bộ cuộc họp.</translation>
    </message>
    <message>
        <source>No user directory on this computer: the participant's own clearance is used.</source>
        <comment>prep_preview_no_account_info</comment>
        <translation>Chưa có danh bạ người dùng trên máy này: dùng độ mật ghi trong thành phần tham dự.</translation>
    </message>
    <message>
        <source>No seat assigned</source>
        <comment>prep_preview_no_seat</comment>
        <translation>Chưa được xếp chỗ ngồi</translation>
    </message>
    <message>
        <source>Participants ({n})</source>
        <comment>prep_preview_people</comment>
        <translation>Thành phần tham dự ({n})</translation>
    </message>
    <message>
        <source>The meeting is deleted: this person does not receive it.</source>
        <comment>prep_preview_reason_deleted</comment>
        <translation>Cuộc họp đã bị xóa: người này không nhận được.</translation>
    </message>
    <message>
        <source>The meeting is not published: this person receives nothing yet; below is what they will receive once it is.</source>
        <comment>prep_preview_reason_draft</comment>
        <translation>Cuộc họp chưa phát hành: người này chưa nhận được gì; dưới đây là những gì họ sẽ nhận khi phát hành.</translation>
    </message>
    <message>
        <source>This participant is not linked to an account, so no laptop receives the pack.</source>
        <comment>prep_preview_reason_no_account</comment>
        <translation>Người này chưa gắn với tài khoản nào nên không nhận được tài liệu họp trên máy.</translation>
    </message>
    <message>
        <source>This person was removed from the meeting.</source>
        <comment>prep_preview_reason_removed</comment>
        <translation>Người này đã bị bỏ khỏi cuộc họp.</translation>
    </message>
    <message>
        <source>Seat: {label}</source>
        <comment>prep_preview_seat</comment>
        <translation>Chỗ ngồi: {label}</translation>
    </message>
    <message>
        <source>Show</source>
        <comment>prep_preview_show</comment>
        <translation>Xem</translation>
    </message>
    <message>
        <source>What the delegate will see</source>
        <comment>prep_preview_tree</comment>
        <translation>Những gì đại biểu sẽ thấy</translation>
    </message>
    <message>
        <source>Preview as</source>
        <comment>prep_preview_who</comment>
        <translation>Xem như</translation>
    </message>
    <message>
        <source>Publish</source>
        <comment>prep_publish</comment>
        <translation>Phát hành</translation>
    </message>
    <message>
        <source>Remove from meeting</source>
        <comment>prep_remove_participant</comment>
        <translation>Bỏ khỏi cuộc họp</translation>
    </message>
    <message>
        <source>Reopen</source>
        <comment>prep_reopen</comment>
        <translation>Mở lại</translation>
    </message>
    <message>
        <source>Save</source>
        <comment>prep_save</comment>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Saved on this computer; it syncs when a network is there.</source>
        <comment>prep_saved</comment>
        <translation>Đã lưu trên máy này; sẽ đồng bộ khi có mạng.</translation>
    </message>
    <message>
        <source>Add seat</source>
        <comment>prep_seat_add</comment>
        <translation>Thêm chỗ</translation>
    </message>
    <message>
        <source>Lay out</source>
        <comment>prep_seat_apply</comment>
        <translation>Tạo sơ đồ</translation>
    </message>
    <message>
        <source>Columns</source>
        <comment>prep_seat_cols</comment>
        <translation>Cột</translation>
    </message>
    <message>
        <source>Laying out again replaces every seat and unseats everyone. Continue?</source>
        <comment>prep_seat_confirm_template</comment>
        <translation>Tạo lại sơ đồ sẽ thay mọi chỗ ngồi hiện có và bỏ xếp chỗ của mọi người. Tiếp tục?</translation>
    </message>
    <message>
        <source>Seats</source>
        <comment>prep_seat_count</comment>
        <translation>Số chỗ</translation>
    </message>
    <message>
        <source>{n} seats</source>
        <comment>prep_seat_count_text</comment>
        <translation>{n} chỗ ngồi</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <comment>prep_seat_export</comment>
        <translation>Xuất PDF…</translation>
    </message>
    <message>
        <source>Seating chart</source>
        <comment>prep_seat_export_name</comment>
        <translation>So do cho ngoi</translation>
    </message>
    <message>
        <source>Chart exported to {path}</source>
        <comment>prep_seat_exported</comment>
        <translation>Đã xuất sơ đồ ra {path}</translation>
    </message>
    <message>
        <source>Seat here</source>
        <comment>prep_seat_here</comment>
        <translation>Xếp vào chỗ này</translation>
    </message>
    <message>
        <source>Drag a person onto a seat, or pick a person and a seat and press “Seat here”. Drag seats to move them; arrow keys nudge the selected seat.</source>
        <comment>prep_seat_hint</comment>
        <translation>Kéo một người vào chỗ ngồi, hoặc chọn người và chỗ rồi bấm “Xếp vào chỗ này”. Kéo chỗ ngồi để di chuyển; phím mũi tên dịch chuyển chỗ đang chọn.</translation>
    </message>
    <message>
        <source>Seat label:</source>
        <comment>prep_seat_label</comment>
        <translation>Số hiệu chỗ ngồi:</translation>
    </message>
    <message>
        <source>No chart yet. Choose a room template and press “Lay out”.</source>
        <comment>prep_seat_no_room</comment>
        <translation>Chưa có sơ đồ. Chọn mẫu phòng rồi bấm “Tạo sơ đồ”.</translation>
    </message>
    <message>
        <source>Relabel</source>
        <comment>prep_seat_relabel</comment>
        <translation>Đổi số chỗ</translation>
    </message>
    <message>
        <source>Remove seat</source>
        <comment>prep_seat_remove</comment>
        <translation>Xóa chỗ</translation>
    </message>
    <message>
        <source>Room plan</source>
        <comment>prep_seat_room</comment>
        <translation>Sơ đồ phòng họp</translation>
    </message>
    <message>
        <source>Rows</source>
        <comment>prep_seat_rows</comment>
        <translation>Hàng</translation>
    </message>
    <message>
        <source>Room template</source>
        <comment>prep_seat_template</comment>
        <translation>Mẫu phòng</translation>
    </message>
    <message>
        <source>Empty seat</source>
        <comment>prep_seat_unseat</comment>
        <translation>Bỏ xếp chỗ</translation>
    </message>
    <message>
        <source>Unseated</source>
        <comment>prep_seat_unseated</comment>
        <translation>Chưa xếp chỗ</translation>
    </message>
    <message>
        <source>Unseated: {n} of {total}</source>
        <comment>prep_seat_unseated_count</comment>
        <translation>Chưa xếp chỗ: {n}/{total} người</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <comment>prep_status_now</comment>
        <translation>Trạng thái: {status}</translation>
    </message>
    <message>
        <source>Agenda</source>
        <comment>prep_tab_agenda</comment>
        <translation>Chương trình họp</translation>
    </message>
    <message>
        <source>Documents</source>
        <comment>prep_tab_documents</comment>
        <translation>Tài liệu họp</translation>
    </message>
    <message>
        <source>Meeting and participants</source>
        <comment>prep_tab_meeting</comment>
        <translation>Cuộc họp và thành phần</translation>
    </message>
    <message>
        <source>Preview as delegate</source>
        <comment>prep_tab_preview</comment>
        <translation>Xem như đại biểu</translation>
    </message>
    <message>
        <source>Seating chart</source>
        <comment>prep_tab_seating</comment>
        <translation>Sơ đồ chỗ ngồi</translation>
    </message>
    <message>
        <source>Boardroom</source>
        <comment>prep_tpl_boardroom</comment>
        <translation>Bàn dài</translation>
    </message>
    <message>
        <source>Grid</source>
        <comment>prep_tpl_grid</comment>
        <translation>Lưới</translation>
    </message>
    <message>
        <source>Rows</source>
        <comment>prep_tpl_rows</comment>
        <translation>Dãy ghế</translation>
    </message>
    <message>
        <source>U-shape</source>
        <comment>prep_tpl_u_shape</comment>
        <translation>Chữ U</translation>
    </message>
    <message>
        <source>Unpublish</source>
        <comment>prep_unpublish</comment>
        <translation>Hủy phát hành</translation>
    </message>
    <message>
        <source>Prepare meeting</source>
        <comment>prepare_meeting</comment>
        <translation>Chuẩn bị cuộc họp</translation>
    </message>
    <message>
        <source>Presenter</source>
        <comment>presenter</comment>
        <translation>Người trình bày</translation>
    </message>
    <message>
        <source>← Back to the meeting</source>
        <comment>reader_back</comment>
        <translation>← Quay lại cuộc họp</translation>
    </message>
    <message>
        <source>Colour</source>
        <comment>reader_colour</comment>
        <translation>Màu</translation>
    </message>
    <message>
        <source>Blue</source>
        <comment>reader_colour_blue</comment>
        <translation>Xanh dương</translation>
    </message>
    <message>
        <source>Green</source>
        <comment>reader_colour_green</comment>
        <translation>Xanh lá</translation>
    </message>
    <message>
        <source>Pink</source>
        <comment>reader_colour_pink</comment>
        <translation>Hồng</translation>
    </message>
    <message>
        <source>Red</source>
        <comment>reader_colour_red</comment>
        <translation>Đỏ</translation>
    </message>
    <message>
        <source>Yellow</source>
        <comment>reader_colour_yellow</comment>
        <translation>Vàng</translation>
    </message>
    <message>
        <source>The text was copied.</source>
        <comment>reader_copied</comment>
        <translation>Đã sao chép đoạn văn bản.</translation>
    </message>
    <message>
        <source>Copy</source>
        <comment>reader_copy</comment>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Copying from this document is not allowed by policy.</source>
        <comment>reader_copy_forbidden</comment>
        <translation>Chính sách bảo mật không cho phép sao chép nội dung tài liệu này.</translation>
    </message>
    <message>
        <source>Delete annotation</source>
        <comment>reader_delete</comment>
        <translation>Xóa chú thích</translation>
    </message>
    <message>
        <source>This document has no version to open yet.</source>
        <comment>reader_document_no_version</comment>
        <translation>Tài liệu này chưa có phiên bản nào để mở.</translation>
    </message>
    <message>
        <source>Edit text…</source>
        <comment>reader_edit_text</comment>
        <translation>Sửa nội dung…</translation>
    </message>
    <message>
        <source>The PDF renderer failed on this document and was restarted.</source>
        <comment>reader_err_failed</comment>
        <translation>Bộ hiển thị PDF gặp lỗi với tài liệu này và đã được khởi động lại.</translation>
    </message>
    <message>
        <source>The document is not fully downloaded yet. Sync, then open it again.</source>
        <comment>reader_err_incomplete</comment>
        <translation>Tài liệu chưa tải về đầy đủ. Hãy đồng bộ rồi mở lại.</translation>
    </message>
    <message>
        <source>The document cannot be displayed.</source>
        <comment>reader_err_other</comment>
        <translation>Không hiển thị được tài liệu.</translation>
    </message>
    <message>
        <source>The PDF is password-protected and cannot be shown. Contact the meeting secretary.</source>
        <comment>reader_err_password</comment>
        <translation>Tài liệu PDF được đặt mật khẩu nên không hiển thị được. Liên hệ thư ký cuộc họp.</translation>
    </message>
    <message>
        <source>The document's data on this computer failed its integrity check.</source>
        <comment>reader_err_tampered</comment>
        <translation>Dữ liệu tài liệu trên máy này không toàn vẹn (có thể đã bị sửa đổi).</translation>
    </message>
    <message>
        <source>The document took too long to display; the renderer was restarted.</source>
        <comment>reader_err_timeout</comment>
        <translation>Tài liệu hiển thị quá lâu; bộ hiển thị đã được khởi động lại.</translation>
    </message>
    <message>
        <source>The PDF file is damaged, truncated or not a PDF, so it cannot be shown.</source>
        <comment>reader_err_unreadable</comment>
        <translation>Tệp PDF bị hỏng, bị cắt cụt hoặc không phải PDF, nên không hiển thị được.</translation>
    </message>
    <message>
        <source>Document: {title}</source>
        <comment>reader_err_which</comment>
        <translation>Tài liệu: {title}</translation>
    </message>
    <message>
        <source>The document cannot be opened</source>
        <comment>reader_error_title</comment>
        <translation>Không mở được tài liệu</translation>
    </message>
    <message>
        <source>Export…</source>
        <comment>reader_export</comment>
        <translation>Xuất…</translation>
    </message>
    <message>
        <source>A copy with annotations (editable)</source>
        <comment>reader_export_annotated</comment>
        <translation>Bản sao kèm chú thích (sửa được)</translation>
    </message>
    <message>
        <source>The document was exported to {path}</source>
        <comment>reader_export_done</comment>
        <translation>Đã xuất tài liệu ra {path}</translation>
    </message>
    <message>
        <source>For printing (flattened)</source>
        <comment>reader_export_flattened</comment>
        <translation>Bản in (chú thích cố định)</translation>
    </message>
    <message>
        <source>Exporting this document is not allowed by policy.</source>
        <comment>reader_export_forbidden</comment>
        <translation>Chính sách không cho phép xuất tài liệu này.</translation>
    </message>
    <message>
        <source>Export mode</source>
        <comment>reader_export_mode</comment>
        <translation>Cách xuất</translation>
    </message>
    <message>
        <source>Fit page</source>
        <comment>reader_fit_page</comment>
        <translation>Vừa trang</translation>
    </message>
    <message>
        <source>Fit width</source>
        <comment>reader_fit_width</comment>
        <translation>Vừa chiều rộng</translation>
    </message>
    <message>
        <source>Go to page</source>
        <comment>reader_goto</comment>
        <translation>Đi tới trang</translation>
    </message>
    <message>
        <source>Highlight the selection</source>
        <comment>reader_highlight_selection</comment>
        <translation>Tô sáng đoạn đã chọn</translation>
    </message>
    <message>
        <source>Free text</source>
        <comment>reader_kind_freetext</comment>
        <translation>Chữ tự do</translation>
    </message>
    <message>
        <source>Highlight</source>
        <comment>reader_kind_highlight</comment>
        <translation>Tô sáng</translation>
    </message>
    <message>
        <source>Ink</source>
        <comment>reader_kind_ink</comment>
        <translation>Nét vẽ tay</translation>
    </message>
    <message>
        <source>Note</source>
        <comment>reader_kind_note</comment>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Strikeout</source>
        <comment>reader_kind_strikeout</comment>
        <translation>Gạch ngang</translation>
    </message>
    <message>
        <source>Underline</source>
        <comment>reader_kind_underline</comment>
        <translation>Gạch chân</translation>
    </message>
    <message>
        <source>Opening the document…</source>
        <comment>reader_loading</comment>
        <translation>Đang mở tài liệu…</translation>
    </message>
    <message>
        <source>Note text:</source>
        <comment>reader_note_prompt</comment>
        <translation>Nội dung ghi chú:</translation>
    </message>
    <message>
        <source>An older version has your annotations — open the document to see them.</source>
        <comment>reader_older_badge_tip</comment>
        <translation>Phiên bản cũ hơn có chú thích của bạn — mở tài liệu để xem.</translation>
    </message>
    <message>
        <source>Your annotations are on the older version {number} of this document.</source>
        <comment>reader_older_has_notes</comment>
        <translation>Chú thích của bạn nằm ở phiên bản {number} cũ hơn của tài liệu này.</translation>
    </message>
    <message>
        <source>Open the current version</source>
        <comment>reader_open_current</comment>
        <translation>Mở phiên bản hiện hành</translation>
    </message>
    <message>
        <source>Open version {number}</source>
        <comment>reader_open_older</comment>
        <translation>Mở phiên bản {number}</translation>
    </message>
    <message>
        <source>Outline</source>
        <comment>reader_outline</comment>
        <translation>Mục lục</translation>
    </message>
    <message>
        <source>The document has no outline.</source>
        <comment>reader_outline_empty</comment>
        <translation>Tài liệu không có mục lục.</translation>
    </message>
    <message>
        <source>Page</source>
        <comment>reader_page_box</comment>
        <translation>Trang</translation>
    </message>
    <message>
        <source>/ {count}</source>
        <comment>reader_page_of</comment>
        <translation>/ {count}</translation>
    </message>
    <message>
        <source>Annotations</source>
        <comment>reader_panel</comment>
        <translation>Chú thích</translation>
    </message>
    <message>
        <source>by someone else</source>
        <comment>reader_panel_by_other</comment>
        <translation>của người khác</translation>
    </message>
    <message>
        <source>No annotations yet.</source>
        <comment>reader_panel_empty</comment>
        <translation>Chưa có chú thích nào.</translation>
    </message>
    <message>
        <source>Page {page} · {kind}</source>
        <comment>reader_panel_row</comment>
        <translation>Trang {page} · {kind}</translation>
    </message>
    <message>
        <source>shared</source>
        <comment>reader_panel_shared</comment>
        <translation>đã chia sẻ</translation>
    </message>
    <message>
        <source>Redo</source>
        <comment>reader_redo</comment>
        <translation>Làm lại</translation>
    </message>
    <message>
        <source>The PDF was partly damaged and repaired for display; pages may be missing.</source>
        <comment>reader_repaired</comment>
        <translation>Tệp PDF bị hỏng một phần và đã được sửa tạm để hiển thị; có thể thiếu trang.</translation>
    </message>
    <message>
        <source>Annotation saved</source>
        <comment>reader_saved</comment>
        <translation>Đã lưu chú thích</translation>
    </message>
    <message>
        <source>Search in the document…</source>
        <comment>reader_search</comment>
        <translation>Tìm trong tài liệu…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <comment>reader_search_busy</comment>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <source>{current}/{total}</source>
        <comment>reader_search_count</comment>
        <translation>{current}/{total}</translation>
    </message>
    <message>
        <source>Next match</source>
        <comment>reader_search_next</comment>
        <translation>Kết quả sau</translation>
    </message>
    <message>
        <source>Not found</source>
        <comment>reader_search_none</comment>
        <translation>Không tìm thấy</translation>
    </message>
    <message>
        <source>Previous match</source>
        <comment>reader_search_prev</comment>
        <translation>Kết quả trước</translation>
    </message>
    <message>
        <source>Share with this meeting</source>
        <comment>reader_share</comment>
        <translation>Chia sẻ với cuộc họp</translation>
    </message>
    <message>
        <source>Page {page}</source>
        <comment>reader_thumb_page</comment>
        <translation>Trang {page}</translation>
    </message>
    <message>
        <source>Pages</source>
        <comment>reader_thumbnails</comment>
        <translation>Trang</translation>
    </message>
    <message>
        <source>Free text</source>
        <comment>reader_tool_freetext</comment>
        <translation>Chữ tự do</translation>
    </message>
    <message>
        <source>Highlight</source>
        <comment>reader_tool_highlight</comment>
        <translation>Tô sáng</translation>
    </message>
    <message>
        <source>Freehand ink</source>
        <comment>reader_tool_ink</comment>
        <translation>Vẽ tay</translation>
    </message>
    <message>
        <source>Sticky note</source>
        <comment>reader_tool_note</comment>
        <translation>Ghi chú dán</translation>
    </message>
    <message>
        <source>Select</source>
        <comment>reader_tool_select</comment>
        <translation>Chọn</translation>
    </message>
    <message>
        <source>Strikeout</source>
        <comment>reader_tool_strikeout</comment>
        <translation>Gạch ngang</translation>
    </message>
    <message>
        <source>Underline</source>
        <comment>reader_tool_underline</comment>
        <translation>Gạch chân</translation>
    </message>
    <message>
        <source>Undo</source>
        <comment>reader_undo</comment>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Document pages</source>
        <comment>reader_view</comment>
        <translation>Nội dung tài liệu</translation>
    </message>
    <message>
        <source>You are viewing version {number}; the current version is {current}.</source>
        <comment>reader_viewing_older</comment>
        <translation>Bạn đang xem phiên bản {number}; phiên bản hiện hành là {current}.</translation>
    </message>
    <message>
        <source>{name} · Seat {seat} · {date}</source>
        <comment>reader_watermark</comment>
        <translation>{name} · Ghế {seat} · {date}</translation>
    </message>
    <message>
        <source>{name} · {date}</source>
        <comment>reader_watermark_noseat</comment>
        <translation>{name} · {date}</translation>
    </message>
    <message>
        <source>Zoom level</source>
        <comment>reader_zoom_box</comment>
        <translation>Tỷ lệ thu phóng</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <comment>reader_zoom_in</comment>
        <translation>Phóng to</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <comment>reader_zoom_out</comment>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <source>Chair</source>
        <comment>role_chair</comment>
        <translation>Chủ trì</translation>
    </message>
    <message>
        <source>Delegate</source>
        <comment>role_delegate</comment>
        <translation>Đại biểu</translation>
    </message>
    <message>
        <source>Observer</source>
        <comment>role_observer</comment>
        <translation>Khách mời</translation>
    </message>
    <message>
        <source>Secretary</source>
        <comment>role_secretary</comment>
        <translation>Thư ký</translation>
    </message>
    <message>
        <source>Room: {room}</source>
        <comment>room_label</comment>
        <translation>Phòng: {room}</translation>
    </message>
    <message>
        <source>Search box</source>
        <comment>search_box</comment>
        <translation>Ô tìm kiếm</translation>
    </message>
    <message>
        <source>{count} results</source>
        <comment>search_count</comment>
        <translation>{count} kết quả</translation>
    </message>
    <message>
        <source>Showing {shown} of {total} results — add words to narrow down</source>
        <comment>search_count_more</comment>
        <translation>Hiển thị {shown} trên {total} kết quả — thêm từ để thu hẹp</translation>
    </message>
    <message>
        <source>Every word must appear; accents and case are ignored. Press Enter to open the selected result.</source>
        <comment>search_hint</comment>
        <translation>Mọi từ đều phải có mặt; không phân biệt dấu và chữ hoa. Nhấn Enter để mở kết quả đang chọn.</translation>
    </message>
    <message>
        <source>Agenda item</source>
        <comment>search_kind_agenda_item</comment>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Document</source>
        <comment>search_kind_document</comment>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <source>Meeting</source>
        <comment>search_kind_meeting</comment>
        <translation>Cuộc họp</translation>
    </message>
    <message>
        <source>Personal notes</source>
        <comment>search_kind_note</comment>
        <translation>Ghi chú cá nhân</translation>
    </message>
    <message>
        <source>Document</source>
        <comment>search_kind_page</comment>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <source>Search meetings by title…</source>
        <comment>search_meetings</comment>
        <translation>Tìm kiếm cuộc họp theo tên…</translation>
    </message>
    <message>
        <source>No results for “{query}”.</source>
        <comment>search_none</comment>
        <translation>Không tìm thấy kết quả nào cho “{query}”.</translation>
    </message>
    <message>
        <source>page {page}</source>
        <comment>search_page</comment>
        <translation>trang {page}</translation>
    </message>
    <message>
        <source>Search meetings, agendas, notes and documents (with or without accents)</source>
        <comment>search_placeholder</comment>
        <translation>Tìm trong cuộc họp, chương trình họp, ghi chú và tài liệu (gõ có dấu hoặc không dấu)</translation>
    </message>
    <message>
        <source>Search results</source>
        <comment>search_results_list</comment>
        <translation>Kết quả tìm kiếm</translation>
    </message>
    <message>
        <source>Searching…</source>
        <comment>search_running</comment>
        <translation>Đang tìm kiếm…</translation>
    </message>
    <message>
        <source>Search</source>
        <comment>search_title</comment>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <source>Seating chart</source>
        <comment>seating</comment>
        <translation>Sơ đồ chỗ ngồi</translation>
    </message>
    <message>
        <source>Past</source>
        <comment>section_past</comment>
        <translation>Đã qua</translation>
    </message>
    <message>
        <source>Today</source>
        <comment>section_today</comment>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <source>Upcoming</source>
        <comment>section_upcoming</comment>
        <translation>Sắp tới</translation>
    </message>
    <message>
        <source>Server address</source>
        <comment>server</comment>
        <translation>Địa chỉ máy chủ</translation>
    </message>
    <message>
        <source>Create profile</source>
        <comment>setup_create</comment>
        <translation>Tạo hồ sơ</translation>
    </message>
    <message>
        <source>Meeting data is encrypted on this computer. Set a PIN (at least 4 digits) to protect it while the computer is unlocked.</source>
        <comment>setup_intro</comment>
        <translation>Dữ liệu cuộc họp được mã hóa trên máy này. Đặt mã PIN (ít nhất 4 chữ số) để bảo vệ khi máy bị mở khóa.</translation>
    </message>
    <message>
        <source>No PIN</source>
        <comment>setup_no_pin</comment>
        <translation>Không dùng mã PIN</translation>
    </message>
    <message>
        <source>Set up a profile on this computer</source>
        <comment>setup_title</comment>
        <translation>Thiết lập hồ sơ trên máy này</translation>
    </message>
    <message>
        <source>Passphrase only (at least 12 characters)</source>
        <comment>setup_use_passphrase</comment>
        <translation>Chỉ dùng cụm mật khẩu (ít nhất 12 ký tự)</translation>
    </message>
    <message>
        <source>Use a PIN (recommended)</source>
        <comment>setup_use_pin</comment>
        <translation>Dùng mã PIN (khuyến nghị)</translation>
    </message>
    <message>
        <source>Your session expired or was revoked. Please sign in again.</source>
        <comment>signin_again</comment>
        <translation>Phiên đăng nhập đã hết hạn hoặc bị thu hồi. Hãy đăng nhập lại.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <comment>signin_button</comment>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Sign in with the account IT gave you to download the meeting packs to this computer.</source>
        <comment>signin_intro</comment>
        <translation>Đăng nhập bằng tài khoản do bộ phận CNTT cấp để tải tài liệu họp về máy này.</translation>
    </message>
    <message>
        <source>Enter the server address, username and password.</source>
        <comment>signin_missing</comment>
        <translation>Hãy nhập địa chỉ máy chủ, tên đăng nhập và mật khẩu.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <comment>signin_title</comment>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <comment>signing_in</comment>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <source>Closed</source>
        <comment>status_closed</comment>
        <translation>Đã kết thúc</translation>
    </message>
    <message>
        <source>Draft</source>
        <comment>status_draft</comment>
        <translation>Bản nháp</translation>
    </message>
    <message>
        <source>Published</source>
        <comment>status_published</comment>
        <translation>Đã phát hành</translation>
    </message>
    <message>
        <source>The meeting data is locked. Unlock it with your PIN.</source>
        <comment>store_locked</comment>
        <translation>Dữ liệu cuộc họp đang khóa. Hãy mở khóa bằng mã PIN.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <comment>syncing</comment>
        <translation>Đang đồng bộ…</translation>
    </message>
    <message>
        <source>The PIN was entered wrongly {limit} times; this profile no longer unlocks. Sign in again or ask IT to reset it.</source>
        <comment>too_many_attempts</comment>
        <translation>Mã PIN đã nhập sai {limit} lần; hồ sơ này không thể mở khóa nữa. Hãy đăng nhập lại hoặc liên hệ bộ phận CNTT.</translation>
    </message>
    <message>
        <source>An unexpected error occurred. The action was not carried out.</source>
        <comment>unexpected_error</comment>
        <translation>Đã xảy ra lỗi không mong muốn. Thao tác chưa được thực hiện.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <comment>unlock</comment>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <source>The meeting data is locked. Press Unlock to continue.</source>
        <comment>unlock_hint_device</comment>
        <translation>Dữ liệu cuộc họp đã được khóa. Bấm Mở khóa để tiếp tục.</translation>
    </message>
    <message>
        <source>Enter your passphrase to unlock</source>
        <comment>unlock_hint_passphrase</comment>
        <translation>Nhập cụm mật khẩu để mở khóa</translation>
    </message>
    <message>
        <source>Enter your PIN to unlock</source>
        <comment>unlock_hint_pin</comment>
        <translation>Nhập mã PIN để mở khóa</translation>
    </message>
    <message>
        <source>Uploading documents: {percent}%</source>
        <comment>upload_progress</comment>
        <translation>Đang tải lên tài liệu: {percent}%</translation>
    </message>
    <message>
        <source>Username</source>
        <comment>username</comment>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>The server ordered this computer's meeting data wiped; the profile was deleted. Please sign in again.</source>
        <comment>wiped</comment>
        <translation>Máy chủ đã yêu cầu xóa dữ liệu cuộc họp trên máy này; hồ sơ đã bị xóa. Hãy đăng nhập lại.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <comment>wrong_pin</comment>
        <translation>Sai mã PIN.</translation>
    </message>
    <message>
        <source>Wrong PIN. {left} attempt(s) left.</source>
        <comment>wrong_pin_left</comment>
        <translation>Sai mã PIN. Còn {left} lần thử.</translation>
    </message>
    <message>
        <source>Your seat: {label}</source>
        <comment>your_seat</comment>
        <translation>Chỗ ngồi của bạn: {label}</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Có với &amp;tất cả</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>Khô&amp;ng với tất cả</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Hủy bỏ</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Cắt</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Sao chép</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
</TS>
