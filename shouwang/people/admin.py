from django.contrib import admin

from .models import AdminClass, Branch, DormRoom, Person, RosterImport, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)


@admin.register(AdminClass)
class AdminClassAdmin(admin.ModelAdmin):
    list_display = ("name", "grade", "programme", "degree_level", "unit", "counsellor")
    list_filter = ("grade", "degree_level")
    search_fields = ("name",)
    raw_id_fields = ("counsellor",)


@admin.register(DormRoom)
class DormRoomAdmin(admin.ModelAdmin):
    list_display = ("building", "number")
    search_fields = ("building", "number")


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "parent")
    list_filter = ("kind",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "kind", "admin_class", "political_status", "status")
    list_filter = ("kind", "status", "political_status", "degree_level", "grade")
    search_fields = ("number", "name", "name_initials", "name_pinyin")
    raw_id_fields = ("admin_class", "dorm_room", "branch")


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "uploaded_by", "created_at", "status", "valid_rows", "invalid_rows")
    readonly_fields = [f.name for f in RosterImport._meta.fields]

    def has_add_permission(self, request):
        return False
